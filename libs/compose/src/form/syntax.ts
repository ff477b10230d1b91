import { type Document, isMap, isScalar, type Node } from 'yaml';
import type { EnvVarForm, PortForm } from './form.schema.js';
import { deref, entries, integerOf, isNull, scalarText } from './yaml-nodes.js';

/*
 * The short and long syntaxes of list items the form models: `KEY=value` environment entries, ports and volumes.
 * A port or volume the form cannot represent (a port range, `${VAR}`, a volume with driver options…) reads as
 * `undefined`: it is not in the form, and writing the form leaves it where it is.
 */

export function parseEnvItem(text: string): EnvVarForm {
  const eq = text.indexOf('=');
  return eq < 0 ? { key: text, value: null } : { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

export function formatEnvItem(env: EnvVarForm): string {
  return env.value === null ? env.key : `${env.key}=${env.value}`;
}

/** `[host_ip:][published:]target[/protocol]`, with single ports (no ranges). */
export interface ShortPort {
  hostIp?: string;
  published?: number;
  target: number;
  protocol: 'tcp' | 'udp';
  /** Whether `/tcp` was written out. */
  explicitProtocol: boolean;
}

function portNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function parseShortPort(text: string): ShortPort | undefined {
  let rest = text;
  let protocol: 'tcp' | 'udp' = 'tcp';
  let explicitProtocol = false;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1);
    if (proto !== 'tcp' && proto !== 'udp') return undefined;
    protocol = proto;
    explicitProtocol = true;
    rest = rest.slice(0, slash);
  }
  const colon = rest.lastIndexOf(':');
  const target = portNumber(rest.slice(colon + 1));
  if (target === undefined) return undefined;
  const port: ShortPort = { target, protocol, explicitProtocol };
  if (colon < 0) return port;
  const head = rest.slice(0, colon);
  const colon2 = head.lastIndexOf(':');
  const publishedText = head.slice(colon2 + 1);
  if (colon2 >= 0) {
    const hostIp = head.slice(0, colon2);
    if (hostIp === '' || /[\s/]/.test(hostIp)) return undefined;
    port.hostIp = hostIp;
  }
  if (publishedText !== '') {
    const published = portNumber(publishedText);
    if (published === undefined) return undefined;
    port.published = published;
  } else if (colon2 < 0) return undefined;
  return port;
}

/** The short syntax of a port, keeping the host IP and the explicit `/tcp` of the entry it replaces. */
export function formatShortPort(port: PortForm, like?: ShortPort): string {
  const hostIp = like?.hostIp;
  let text = String(port.target);
  if (port.published !== undefined) text = `${port.published}:${text}`;
  if (hostIp !== undefined) text = `${hostIp}:${port.published === undefined ? ':' : ''}${text}`;
  if (port.protocol === 'udp' || like?.explicitProtocol) text += `/${port.protocol}`;
  return text;
}

function toPortForm(port: ShortPort): PortForm {
  const form: PortForm = { target: port.target, protocol: port.protocol };
  if (port.published !== undefined) form.published = port.published;
  return form;
}

function longPortNumber(node: Node | null): number | undefined {
  const n = integerOf(node);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

/** A port entry as the form sees it; `undefined` when the form cannot represent it. */
export function readPort(doc: Document, item: Node): PortForm | undefined {
  const node = deref(doc, item);
  if (isScalar(node)) {
    if (typeof node.value === 'number') {
      const target = longPortNumber(node);
      return target === undefined ? undefined : { target, protocol: 'tcp' };
    }
    if (typeof node.value !== 'string') return undefined;
    const short = parseShortPort(node.value);
    return short === undefined ? undefined : toPortForm(short);
  }
  if (!isMap(node)) return undefined;
  const fields = new Map(entries(doc, node).map((e) => [e.key, deref(doc, e.value)]));
  const target = longPortNumber(fields.get('target') ?? null);
  if (target === undefined) return undefined;
  const port: PortForm = { target, protocol: 'tcp' };
  const published = fields.get('published') ?? null;
  if (!isNull(published)) {
    const n = longPortNumber(published);
    if (n === undefined) return undefined;
    port.published = n;
  }
  const protocol = fields.get('protocol') ?? null;
  if (!isNull(protocol)) {
    if (!isScalar(protocol) || (protocol.value !== 'tcp' && protocol.value !== 'udp')) return undefined;
    port.protocol = protocol.value;
  }
  return port;
}

export interface ShortVolume {
  source?: string;
  target: string;
  mode?: string;
}

export function parseShortVolume(text: string): ShortVolume | undefined {
  const parts = text.split(':');
  if (parts.some((part) => part === '')) return undefined;
  if (parts.length === 1) return { target: text };
  const [source, target, mode] = parts;
  if (source === undefined || target === undefined || parts.length > 3) return undefined;
  return mode === undefined ? { source, target } : { source, target, mode };
}

const LONG_VOLUME_PART = /^[^:\s]+$/;

/** Whether the long syntax (`type`, `source`, `target`, `read_only`) says the same as this short entry. */
export function fitsLongVolume(volume: ShortVolume | undefined): volume is ShortVolume {
  if (volume === undefined || !LONG_VOLUME_PART.test(volume.target)) return false;
  if (volume.source !== undefined && !LONG_VOLUME_PART.test(volume.source)) return false;
  if (volume.source === undefined) return volume.mode === undefined;
  return volume.mode === undefined || volume.mode === 'ro';
}

/** Whether a volume source is a host path (a bind mount) rather than a volume name. */
export function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || source.includes('/');
}

const LONG_VOLUME_KEYS = new Set(['type', 'source', 'target', 'read_only']);

/** A volume entry in short syntax; a long entry is converted when short syntax says the same. */
export function readVolume(doc: Document, item: Node): string | undefined {
  const node = deref(doc, item);
  if (isScalar(node)) {
    const text = typeof node.value === 'string' || typeof node.value === 'number' ? scalarText(node, 'a volume') : null;
    return text === null || text === '' || /[\r\n]/.test(text) ? undefined : text;
  }
  if (!isMap(node)) return undefined;
  const fields = new Map<string, Node | null>();
  for (const entry of entries(doc, node)) {
    if (!LONG_VOLUME_KEYS.has(entry.key)) return undefined;
    fields.set(entry.key, deref(doc, entry.value));
  }
  const text = (key: string): string | undefined => {
    const value = fields.get(key) ?? null;
    return isScalar(value) && typeof value.value === 'string' && LONG_VOLUME_PART.test(value.value) ? value.value : undefined;
  };
  const type = text('type');
  const source = text('source');
  const target = text('target');
  const readOnly = fields.get('read_only') ?? null;
  if (target === undefined || (type !== 'volume' && type !== 'bind')) return undefined;
  if (fields.has('source') && source === undefined) return undefined;
  if (source !== undefined && (type === 'bind') !== isHostPath(source)) return undefined;
  if (!isNull(readOnly) && !(isScalar(readOnly) && typeof readOnly.value === 'boolean')) return undefined;
  const ro = isScalar(readOnly) && readOnly.value === true;
  if (source === undefined) return ro ? undefined : target;
  return `${source}:${target}${ro ? ':ro' : ''}`;
}
