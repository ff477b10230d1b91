import { parseBytes, toMiB } from './units.js';
import { quote } from './values.js';

/*
 * Compose's short syntaxes: ports, volumes, extra hosts, tmpfs. Each parser returns the parts or a message saying
 * what was expected.
 */

/** A failure says what was expected; `range` marks a well-formed value out of its bounds. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; code?: 'range' };
const fail = <T>(error: string, code?: 'range'): Parsed<T> => ({ ok: false, error, ...(code ? { code } : {}) });
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

export interface PortRange {
  start: number;
  end: number;
}

export interface PortSpec {
  target: PortRange;
  /** Host port(s) as written, when given. */
  published?: string;
  hostIp?: string;
  protocol: string;
}

/** `80`, `3000-3005`, with 1 ≤ port ≤ 65535. */
export function parsePortRange(text: string): Parsed<PortRange> {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return fail(`${quote(text)} is not a port or a port range (such as 80 or 3000-3005)`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  for (const p of [start, end]) {
    if (p < 1 || p > 65535) return fail(`port ${p} is out of range (1-65535)`, 'range');
  }
  if (end < start) return fail(`port range ${quote(text)} ends before it starts`);
  return ok({ start, end });
}

const PORT_FORMAT = 'expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], such as "8080:80" or "127.0.0.1:53:53/udp"';

/** The short port syntax: `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, ports possibly ranges. */
export function parsePortSpec(text: string): Parsed<PortSpec> {
  let rest = text.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (protocol === '') return fail(`${quote(text)}: the protocol after "/" is missing; ${PORT_FORMAT}`);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']:');
    if (close < 0) return fail(`${quote(text)}: ${PORT_FORMAT}`);
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  let published: string | undefined;
  let container: string;
  if (parts.length === 1) {
    container = parts[0] ?? '';
  } else if (parts.length === 2) {
    [published, container] = [parts[0], parts[1] ?? ''];
  } else if (hostIp === undefined) {
    // the last two parts are the ports; the rest is an address (IPv4, or IPv6 written without brackets)
    container = parts[parts.length - 1] ?? '';
    published = parts[parts.length - 2];
    hostIp = parts.slice(0, -2).join(':');
  } else {
    return fail(`${quote(text)}: ${PORT_FORMAT}`);
  }
  const target = parsePortRange(container);
  if (!target.ok) return fail(`${quote(text)}: ${target.error}${target.code ? '' : `; ${PORT_FORMAT}`}`, target.code);
  if (published === '') published = undefined;
  if (published !== undefined) {
    const host = parsePortRange(published);
    if (!host.ok) return fail(`${quote(text)}: ${host.error}${host.code ? '' : `; ${PORT_FORMAT}`}`, host.code);
    const hostSize = host.value.end - host.value.start;
    const targetSize = target.value.end - target.value.start;
    if (targetSize > 0 && hostSize !== targetSize) {
      return fail(`${quote(text)}: the host port range and the container port range differ in size`);
    }
  }
  return ok({
    target: target.value,
    protocol,
    ...(published !== undefined ? { published } : {}),
    ...(hostIp ? { hostIp } : {}),
  });
}

export interface VolumeSpec {
  /** `volume`: a named volume (or an anonymous one, without source); `bind`: a host path. */
  type: 'volume' | 'bind';
  source?: string;
  target: string;
  readOnly: boolean;
}

const VOLUME_MODES = new Set([
  'ro',
  'rw',
  'z',
  'Z',
  'nocopy',
  'consistent',
  'cached',
  'delegated',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
]);

/** Whether a volume source is a host path rather than a volume name (`/abs`, `./rel`, `../rel`, `~/x`, `.`). */
export function isHostPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

/** The short volume syntax: `TARGET`, `SOURCE:TARGET` or `SOURCE:TARGET:MODE`. */
export function parseVolumeSpec(text: string): Parsed<VolumeSpec> {
  const parts = text.split(':');
  if (parts.some((p) => p === '') || parts.length > 3) {
    return fail(`${quote(text)} is not a volume: expected [SOURCE:]TARGET[:MODE], such as "data:/var/lib/data" or "/tmp/cache"`);
  }
  if (parts.length === 1) return ok({ type: 'volume', target: parts[0] ?? '', readOnly: false });
  const [source = '', target = '', mode] = parts;
  let readOnly = false;
  for (const m of mode ? mode.split(',') : []) {
    if (!VOLUME_MODES.has(m))
      return fail(`${quote(text)}: unknown volume mode ${quote(m)}; expected ro, rw, z, Z, nocopy or a propagation`);
    if (m === 'ro') readOnly = true;
  }
  return ok({ type: isHostPath(source) ? 'bind' : 'volume', source, target, readOnly });
}

/** One `extra_hosts` list entry: `host:ip` or `host=ip` (an IPv6 address may be in brackets). */
export function parseExtraHost(text: string): Parsed<{ host: string; ip: string }> {
  const eq = text.indexOf('=');
  const at = eq >= 0 ? eq : text.indexOf(':');
  if (at <= 0 || at === text.length - 1) return fail(`${quote(text)} is not a host entry: expected "host:ip" or "host=ip"`);
  return ok({ host: text.slice(0, at), ip: unbracket(text.slice(at + 1)) });
}

export function unbracket(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

/** One `tmpfs` entry: `/path` or `/path:size=64m,mode=1777,…`. */
export function parseTmpfs(text: string): Parsed<{ target: string; sizeMiB?: number }> {
  const colon = text.indexOf(':');
  const target = colon < 0 ? text : text.slice(0, colon);
  if (target === '') return fail(`${quote(text)} is not a tmpfs mount: expected /path[:options]`);
  let sizeMiB: number | undefined;
  for (const opt of colon < 0 ? [] : text.slice(colon + 1).split(',')) {
    if (!opt.startsWith('size=')) continue;
    const bytes = parseBytes(opt.slice(5));
    if (bytes === undefined) return fail(`${quote(text)}: ${quote(opt)} is not a size (such as size=64m)`);
    sizeMiB = toMiB(bytes);
  }
  return ok({ target, ...(sizeMiB !== undefined ? { sizeMiB } : {}) });
}
