import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import { MAX_SOURCE_BYTES, parseYaml } from './parse.js';
import { Report } from './report.js';
import { childPath, isMap, parsePath, SourceMap, type YValue } from './tree.js';

function parse(source: string) {
  const map = new SourceMap('compose.yml');
  const report = new Report(map);
  const ok = parseYaml(source, map, report);
  return { ok, root: map.root, map, report };
}

/** The plain JS form of a parsed value, for readable assertions. */
function plain(v: YValue): unknown {
  if (isMap(v)) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

describe('parseYaml', () => {
  it('keeps the position of every key and item', () => {
    const { ok, map } = parse(
      ['services:', '  web:', '    image: nginx', '    ports:', '      - "80:80"', '      - target: 443'].join('\n'),
    );
    expect(ok).toBe(true);
    expect(map.locate('services')).toEqual({ file: 'compose.yml', line: 1, column: 1 });
    expect(map.locate('services.web')).toMatchObject({ line: 2, column: 3 });
    expect(map.locate('services.web.image')).toMatchObject({ line: 3, column: 5 });
    expect(map.locate('services.web.ports[0]')).toMatchObject({ line: 5, column: 9 });
    expect(map.locate('services.web.ports[1].target')).toMatchObject({ line: 6, column: 9 });
  });

  it('locates a missing path at its nearest ancestor, and an empty path at the start', () => {
    const { map } = parse('services:\n  web:\n    image: nginx\n');
    expect(map.locate('services.web.healthcheck.test')).toMatchObject({ line: 2, column: 3 });
    expect(map.locate('services.api')).toMatchObject({ line: 1, column: 1 });
    expect(map.locate('')).toMatchObject({ line: 1, column: 1 });
  });

  it('locates keys that are not plain through quoted path segments', () => {
    const { map } = parse('services:\n  web:\n    labels:\n      com.example.team: core\n');
    const path = childPath('services.web.labels', 'com.example.team');
    expect(path).toBe('services.web.labels["com.example.team"]');
    expect(map.locate(path)).toMatchObject({ line: 4, column: 7 });
  });

  it('reports YAML syntax errors with the parser line and column, and no document', () => {
    const { ok, report } = parse('services:\n  web:\n    image: [nginx\n  api: {}\n');
    expect(ok).toBe(false);
    expect(report.errors[0]).toMatchObject({ code: 'yaml', line: 4, severity: 'error' });
    expect(report.errors[0]?.message).toMatch(/^YAML: /);
  });

  it('refuses duplicate keys and several documents', () => {
    expect(parse('a: 1\na: 2\n').report.errors[0]).toMatchObject({ code: 'yaml', line: 2, column: 1 });
    expect(parse('a: 1\n---\nb: 2\n').report.errors[0]).toMatchObject({
      code: 'yaml',
      line: 2,
      message: 'YAML: a compose file is one YAML document; this one has several documents (---)',
    });
  });

  it('expands anchors and aliases as copies', () => {
    const { root } = parse('x: &env {A: "1"}\nservices:\n  a: {environment: *env}\n  b: {environment: *env}\n');
    const services = isMap(root) ? root.get('services') : undefined;
    const a = isMap(services) ? services.get('a') : undefined;
    const b = isMap(services) ? services.get('b') : undefined;
    expect(plain(a ?? null)).toEqual({ environment: { A: '1' } });
    expect(isMap(a) && isMap(b) && a.get('environment') !== b.get('environment')).toBe(true);
  });

  it('applies merge keys: written keys win, then the first source', () => {
    const src = [
      'x-a: &a {image: a, restart: always, user: "1"}',
      'x-b: &b {image: b, hostname: b, user: "2"}',
      'services:',
      '  one:',
      '    <<: [*a, *b]',
      '    user: "3"',
      '  two:',
      '    <<: *b',
    ].join('\n');
    const { root } = parse(src);
    expect(plain(root)).toMatchObject({
      services: {
        one: { image: 'a', restart: 'always', hostname: 'b', user: '3' },
        two: { image: 'b', hostname: 'b', user: '2' },
      },
    });
  });

  it('locates merged keys where they are written (the anchor)', () => {
    const { map } = parse('x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    image: nginx\n');
    expect(map.locate('services.web.privileged')).toMatchObject({ line: 2, column: 3 });
    expect(map.locate('services.web.image')).toMatchObject({ line: 6, column: 5 });
  });

  it('refuses a merge key whose value is not a mapping', () => {
    const { ok, report } = parse('x: &s hello\nservices:\n  web:\n    <<: *s\n');
    expect(ok).toBe(false);
    expect(report.errors[0]?.message).toContain('merge key');
  });

  it('refuses a "billion laughs" quickly', () => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(',')}]`,
      );
    const started = Date.now();
    const { ok, report } = parse(lines.join('\n'));
    expect(ok).toBe(false);
    expect(report.errors[0]?.message).toContain('aliases expand to more than');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses an alias without anchor, naming it and where it is used', () => {
    const { ok, report } = parse('x: &defaults {a: 1}\nservices:\n  api:\n    <<: *default\n    healthcheck: *hc\n');
    expect(ok).toBe(false);
    expect(report.errors.map((e) => [e.code, e.line, e.column, e.message]).sort()).toEqual([
      ['yaml', 4, 9, 'YAML: services.api: the alias *default has no anchor &default before it'],
      ['yaml', 5, 18, 'YAML: services.api.healthcheck: the alias *hc has no anchor &hc before it'],
    ]);
  });

  it('refuses deep nesting without spending seconds on it', () => {
    const started = Date.now();
    const { ok, report } = parse(`a: ${'['.repeat(400_000)}${']'.repeat(400_000)}`);
    expect(ok).toBe(false);
    expect(report.errors[0]?.message).toBe('YAML: more than 1000 brackets are open at once; refusing');
    expect(parse(`a: ${'['.repeat(100)}${']'.repeat(100)}`).report.errors[0]?.message).toBe(
      'YAML: nested more than 64 levels deep',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an alias that contains itself', () => {
    const { ok, report } = parse('a: &x\n  b: *x\n');
    expect(ok).toBe(false);
    expect(report.errors[0]).toMatchObject({ code: 'yaml' });
  });

  it('refuses a source over 1 MiB before parsing it', () => {
    const big = `services: {}\n#${'x'.repeat(MAX_SOURCE_BYTES)}\n`;
    const r = compileCompose(big);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        expect.objectContaining({ code: 'range', line: 1, message: expect.stringContaining('at most 1 MiB') }),
      ]);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    const empty = compileCompose('');
    const list = compileCompose('- a\n- b\n');
    expect(empty.ok || empty.errors[0]?.message).toContain('the file is empty');
    expect(list.ok || list.errors[0]?.message).toContain('not a mapping');
  });

  it('turns non-string keys into strings', () => {
    const { root } = parse('8080: a\ntrue: b\n');
    expect(plain(root)).toEqual({ '8080': 'a', true: 'b' });
  });
});

describe('paths', () => {
  it('parses what childPath writes', () => {
    const path = childPath(childPath(childPath('services', 'web'), 'labels'), 'a.b["c"]');
    expect(parsePath(path)).toEqual(['services', 'web', 'labels', 'a.b["c"]']);
    expect(parsePath('services.web.ports[2].target')).toEqual(['services', 'web', 'ports', 2, 'target']);
    expect(parsePath('')).toEqual([]);
    expect(parsePath('a[x]')).toBeUndefined();
  });
});
