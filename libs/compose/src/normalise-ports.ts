import type { ServiceSpecInput } from '@wharf/engine';
import { at, type ServiceContext } from './normalise-context.js';
import { parsePortRange, parsePortSpec } from './syntax.js';
import { childPath, isMap, type YMap } from './tree.js';
import { asBool, asInt, asSeq, asString, quote, stringList } from './values.js';

/*
 * Ports: each container port of `ports` (short or long syntax, ranges expanded) and `expose` becomes a port of the
 * service; host ports are ignored with a warning. The HTTP port is `x-wharf-http`, else the first tcp port of `ports` (every one
 * of them is published, on a host port of the engine's choosing when none is written; `expose` never is).
 */

type PortInput = NonNullable<ServiceSpecInput['ports']>[number];

export function ports(ctx: ServiceContext): PortInput[] {
  const out: PortInput[] = [];
  const index = new Map<string, number>();
  const published: number[] = [];
  const add = (port: number, protocol: 'tcp' | 'udp', path: string, options: { published?: boolean; expose?: boolean }) => {
    const key = `${port}/${protocol}`;
    let i = index.get(key);
    if (i === undefined) {
      i = out.length;
      index.set(key, i);
      out.push({ containerPort: port, protocol, ...(options.expose ? { publish: false } : {}) });
      ctx.origin(`ports.${i}`, path);
    } else if (!options.expose) {
      const existing = out[i];
      if (existing) delete existing.publish;
    }
    if (options.published && protocol === 'tcp') published.push(i);
  };
  const range = (
    start: number,
    end: number,
    protocol: string,
    path: string,
    options: { published?: boolean; expose?: boolean },
  ) => {
    if (protocol !== 'tcp' && protocol !== 'udp') {
      ctx.report.error('type', path, `${path}: protocol ${quote(protocol)} is not supported; expected tcp or udp`);
      return;
    }
    // past the engine's limit of 32 the engine reports the count; expanding "1-65535" further helps nobody
    for (let p = start; p <= end && out.length <= 64; p++) add(p, protocol, path, options);
  };
  for (const [i, item] of (asSeq(ctx.service.get('ports')) ?? []).entries()) {
    const path = childPath(at(ctx, 'ports'), i);
    if (isMap(item)) {
      longPort(ctx, item, path, range);
      continue;
    }
    const text = asString(item);
    if (text === undefined) continue;
    const p = parsePortSpec(text);
    if (!p.ok) {
      ctx.report.error(p.code ?? 'type', path, `${path}: ${p.error}`);
      continue;
    }
    if (p.value.published !== undefined) ignoredHostPort(ctx, path, p.value.published);
    // every `ports` entry is published (a bare `"3000"` on a host port the engine picks); `expose` is not
    range(p.value.target.start, p.value.target.end, p.value.protocol, path, { published: true });
  }
  for (const e of stringList(ctx.service.get('expose'), at(ctx, 'expose'))) {
    const [ports = '', protocol = 'tcp'] = e.value.split('/');
    const r = parsePortRange(ports);
    if (!r.ok) ctx.report.error(r.code ?? 'type', e.path, `${e.path}: ${r.error}`);
    else range(r.value.start, r.value.end, protocol.toLowerCase(), e.path, { expose: true });
  }
  httpPort(ctx, out, published, add);
  return out;
}

function longPort(
  ctx: ServiceContext,
  item: YMap,
  path: string,
  range: (start: number, end: number, protocol: string, path: string, options: { published?: boolean }) => void,
): void {
  const target = asString(item.get('target'));
  if (target === undefined) {
    if (!item.has('target')) ctx.report.error('type', path, `${path}: "target" (the container port) is required`);
    return;
  }
  const r = parsePortRange(target);
  if (!r.ok) {
    ctx.report.error(r.code ?? 'type', childPath(path, 'target'), `${childPath(path, 'target')}: ${r.error}`);
    return;
  }
  const publishedPort = asString(item.get('published'));
  if (publishedPort !== undefined && publishedPort !== '') ignoredHostPort(ctx, childPath(path, 'published'), publishedPort);
  const protocol = (asString(item.get('protocol')) ?? 'tcp').toLowerCase();
  range(r.value.start, r.value.end, protocol, path, { published: true });
}

function ignoredHostPort(ctx: ServiceContext, path: string, port: string): void {
  ctx.report.warn(
    'ignored',
    path,
    `${path}: host port ${port} is ignored: Wharf routes HTTP through its edge proxy, and other ports are reachable inside the environment`,
  );
}

/** `x-wharf-http: <port>` (or `false`), else the first tcp port of `ports`. */
function httpPort(
  ctx: ServiceContext,
  out: PortInput[],
  published: number[],
  add: (port: number, protocol: 'tcp', path: string, options: { published?: boolean }) => void,
): void {
  const setting = ctx.service.get('x-wharf-http');
  const wanted = asInt(setting);
  let chosen: number | undefined;
  if (wanted !== undefined && wanted >= 1 && wanted <= 65535) {
    chosen = out.findIndex((p) => p.containerPort === wanted && (p.protocol ?? 'tcp') === 'tcp');
    if (chosen < 0) {
      add(wanted, 'tcp', at(ctx, 'x-wharf-http'), {});
      chosen = out.length - 1;
    }
  } else if (setting === undefined || asBool(setting) !== false) {
    chosen = published[0];
  }
  const port = chosen === undefined ? undefined : out[chosen];
  if (port) {
    port.http = true;
    delete port.publish;
  }
}
