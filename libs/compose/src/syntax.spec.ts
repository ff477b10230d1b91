import { describe, expect, it } from 'vitest';
import { parseExtraHost, parsePortSpec, parseTmpfs, parseVolumeSpec } from './syntax.js';
import { formatDuration, parseBytes, parseDuration } from './units.js';

describe('parseDuration', () => {
  it('reads Go durations in milliseconds', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2us')).toBe(0.002);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1h2m3s4ms')).toBe(3_723_004);
    expect(parseDuration('0')).toBe(0);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '10', 's', '1d', '-1s', '1 s', '1s ms']) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it('formats back for messages', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(3_600_000)).toBe('1h');
  });
});

describe('parseBytes', () => {
  it('reads sizes with binary units', () => {
    expect(parseBytes('512M')).toBe(512 * 1024 ** 2);
    expect(parseBytes('1g')).toBe(1024 ** 3);
    expect(parseBytes('1GiB')).toBe(1024 ** 3);
    expect(parseBytes('64mb')).toBe(64 * 1024 ** 2);
    expect(parseBytes('100k')).toBe(102_400);
    expect(parseBytes('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('2048')).toBe(2048);
    expect(parseBytes(4096)).toBe(4096);
  });

  it('refuses anything else', () => {
    for (const bad of ['lots', '1x', '-1', 'g', '']) expect(parseBytes(bad), bad).toBeUndefined();
  });
});

describe('parsePortSpec', () => {
  const spec = (s: string) => {
    const r = parsePortSpec(s);
    return r.ok ? r.value : r.error;
  };

  it('reads every short form', () => {
    expect(spec('80')).toEqual({ target: { start: 80, end: 80 }, protocol: 'tcp' });
    expect(spec('8080:80')).toEqual({ target: { start: 80, end: 80 }, published: '8080', protocol: 'tcp' });
    expect(spec('127.0.0.1:8080:80/udp')).toEqual({
      target: { start: 80, end: 80 },
      published: '8080',
      hostIp: '127.0.0.1',
      protocol: 'udp',
    });
    expect(spec('127.0.0.1::80')).toEqual({ target: { start: 80, end: 80 }, hostIp: '127.0.0.1', protocol: 'tcp' });
    expect(spec('[::1]:8080:80')).toEqual({ target: { start: 80, end: 80 }, published: '8080', hostIp: '::1', protocol: 'tcp' });
    expect(spec('3000-3005')).toEqual({ target: { start: 3000, end: 3005 }, protocol: 'tcp' });
    expect(spec('9000-9001:3000-3001')).toMatchObject({ target: { start: 3000, end: 3001 }, published: '9000-9001' });
    expect(spec('8000-8010:80')).toMatchObject({ target: { start: 80, end: 80 }, published: '8000-8010' });
  });

  it('refuses what is not a port', () => {
    expect(spec('abc')).toContain('"abc" is not a port or a port range');
    expect(spec('0')).toContain('port 0 is out of range');
    expect(spec('3005-3000')).toContain('ends before it starts');
    expect(spec('9000-9002:3000-3001')).toContain('differ in size');
    expect(spec('80/')).toContain('protocol after "/" is missing');
  });
});

describe('parseVolumeSpec', () => {
  const spec = (s: string) => {
    const r = parseVolumeSpec(s);
    return r.ok ? r.value : r.error;
  };

  it('tells named volumes, host paths and anonymous volumes apart', () => {
    expect(spec('/data')).toEqual({ type: 'volume', target: '/data', readOnly: false });
    expect(spec('data:/data')).toEqual({ type: 'volume', source: 'data', target: '/data', readOnly: false });
    expect(spec('data:/data:ro,nocopy')).toEqual({ type: 'volume', source: 'data', target: '/data', readOnly: true });
    for (const host of ['/srv:/srv', './rel:/x', '../up:/x', '~/home:/x', '.:/app'])
      expect(spec(host)).toMatchObject({ type: 'bind' });
  });

  it('refuses malformed entries and unknown modes', () => {
    expect(spec('a:b:c:d')).toContain('is not a volume');
    expect(spec('a::/b')).toContain('is not a volume');
    expect(spec('a:/b:rx')).toContain('unknown volume mode "rx"');
  });
});

describe('parseExtraHost and parseTmpfs', () => {
  it('read host entries', () => {
    expect(parseExtraHost('db:10.0.0.1')).toEqual({ ok: true, value: { host: 'db', ip: '10.0.0.1' } });
    expect(parseExtraHost('db=10.0.0.1')).toEqual({ ok: true, value: { host: 'db', ip: '10.0.0.1' } });
    expect(parseExtraHost('v6:::1')).toEqual({ ok: true, value: { host: 'v6', ip: '::1' } });
    expect(parseExtraHost('v6=[::1]')).toEqual({ ok: true, value: { host: 'v6', ip: '::1' } });
    expect(parseExtraHost('nohost').ok).toBe(false);
  });

  it('read tmpfs entries with a size', () => {
    expect(parseTmpfs('/run')).toEqual({ ok: true, value: { target: '/run' } });
    expect(parseTmpfs('/tmp:rw,size=65536k,mode=1777')).toEqual({ ok: true, value: { target: '/tmp', sizeMiB: 64 } });
    expect(parseTmpfs('/tmp:size=lots').ok).toBe(false);
  });
});
