import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';

/*
 * The edge proxy's upstreams as DNS, so Caddy learns about new and stopped tasks without a configuration reload
 * (Caddy 2.6 resets connections that arrive during a reload: bench/proxy-reload.js). Each route's running tasks are
 * SRV records of `_http._tcp.<route key>.upstreams.wharf` whose targets `n-<a>-<b>-<c>-<d>.node.wharf` are A records
 * of the node addresses. A tiny authoritative server on loopback, UDP and TCP, for Caddy only: it answers those two
 * kinds of names from memory and nothing else (every other name: NXDOMAIN).
 */

const ZONE = 'upstreams.wharf';
const NODES = 'node.wharf';
const TTL_SECONDS = 1;
const TYPE_A = 1;
const TYPE_SRV = 33;
const MAX_MESSAGE = 512;

/** The DNS name of a route's upstreams (`<key>.upstreams.wharf`): a hash of its host, a valid label whatever the host. */
export function upstreamName(host: string): string {
  return `${createHash('sha256').update(host).digest('hex').slice(0, 20)}.${ZONE}`;
}

interface Upstream {
  address: string;
  port: number;
}

/** `host:port` (IPv4 only: node addresses of Swarm clusters here) → an upstream; undefined for anything else. */
function parseDial(dial: string): Upstream | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(dial);
  if (!m || net.isIPv4(m[1] ?? '') === false) return undefined;
  return { address: m[1] as string, port: Number(m[2]) };
}

const nodeName = (address: string) => `n-${address.replaceAll('.', '-')}.${NODES}`;

function encodeName(name: string): Buffer {
  const labels = name.split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

interface Question {
  id: number;
  flags: number;
  name: string;
  type: number;
  /** The question section as received (echoed in the answer). */
  raw: Buffer;
}

/** The first question of a query; undefined for anything malformed (which is dropped). */
function parseQuery(msg: Buffer): Question | undefined {
  if (msg.length < 12 || msg.length > MAX_MESSAGE || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let o = 12;
  while (o < msg.length && msg[o] !== 0) {
    const n = msg[o] as number;
    if (n > 63 || o + 1 + n > msg.length) return undefined;
    labels.push(
      msg
        .subarray(o + 1, o + 1 + n)
        .toString('ascii')
        .toLowerCase(),
    );
    o += n + 1;
  }
  if (o + 5 > msg.length) return undefined;
  return {
    id: msg.readUInt16BE(0),
    flags: msg.readUInt16BE(2),
    name: labels.join('.'),
    type: msg.readUInt16BE(o + 1),
    raw: msg.subarray(12, o + 5),
  };
}

export class UpstreamDns {
  private records = new Map<string, Upstream[]>();
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  /** `127.0.0.1:<port>` once listening. */
  address = '';

  /** Replaces every route's upstreams (route host → `host:port` dials). */
  set(routes: readonly { host: string; upstreams: readonly string[] }[]): void {
    const next = new Map<string, Upstream[]>();
    for (const r of routes) {
      next.set(
        `_http._tcp.${upstreamName(r.host)}`,
        r.upstreams.flatMap((u) => parseDial(u) ?? []),
      );
    }
    this.records = next;
  }

  /** Listens on 127.0.0.1, UDP and TCP on one port (`port` 0: a free one). */
  async listen(port = 0): Promise<string> {
    const tcp = net.createServer((socket) => this.serveTcp(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, '127.0.0.1', () => resolve());
    });
    const bound = (tcp.address() as net.AddressInfo).port;
    const udp = dgram.createSocket('udp4');
    udp.on('message', (msg, from) => {
      const answer = this.answer(msg);
      if (answer) udp.send(answer, from.port, from.address);
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(bound, '127.0.0.1', () => resolve());
    });
    this.tcp = tcp;
    this.udp = udp;
    this.address = `127.0.0.1:${bound}`;
    return this.address;
  }

  async close(): Promise<void> {
    this.udp?.close();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }

  /** The answer to one query message, or undefined when it is not a query worth answering. */
  answer(msg: Buffer): Buffer | undefined {
    const q = parseQuery(msg);
    if (!q || q.flags & 0x8000) return undefined;
    const rrs: Buffer[] = [];
    let known = false;
    if (q.name.endsWith(`.${ZONE}`)) {
      const upstreams = this.records.get(q.name);
      known = upstreams !== undefined;
      if (q.type === TYPE_SRV) for (const u of upstreams ?? []) rrs.push(record(TYPE_SRV, srvData(u)));
    } else {
      const m = new RegExp(`^n-(\\d{1,3})-(\\d{1,3})-(\\d{1,3})-(\\d{1,3})\\.${NODES.replace('.', '\\.')}$`).exec(q.name);
      const address = m ? m.slice(1, 5).join('.') : undefined;
      known = address !== undefined && net.isIPv4(address);
      if (known && q.type === TYPE_A) rrs.push(record(TYPE_A, Buffer.from((address as string).split('.').map(Number))));
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(q.id, 0);
    // a response, authoritative, recursion desired copied; NXDOMAIN for names not ours
    header.writeUInt16BE(0x8400 | (q.flags & 0x0100) | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(rrs.length, 6);
    return Buffer.concat([header, q.raw, ...rrs]);
  }

  private serveTcp(socket: net.Socket): void {
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > 4 * MAX_MESSAGE) return socket.destroy();
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        const answer = this.answer(msg);
        if (!answer) return socket.destroy();
        const len = Buffer.alloc(2);
        len.writeUInt16BE(answer.length);
        socket.write(Buffer.concat([len, answer]));
      }
    });
    socket.on('error', () => socket.destroy());
    socket.setTimeout(5_000, () => socket.destroy());
  }
}

function srvData(u: Upstream): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(0, 0); // priority
  fixed.writeUInt16BE(1, 2); // weight
  fixed.writeUInt16BE(u.port, 4);
  return Buffer.concat([fixed, encodeName(nodeName(u.address))]);
}

/** A resource record named by a pointer to the question's name. */
function record(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(TTL_SECONDS, 6);
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}
