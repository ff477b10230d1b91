import { open } from 'node:fs/promises';
import dockerignore from '@balena/dockerignore';
import type { ContextEntry } from './context.js';
import { fields, ProtoWriter } from './protowire.js';

/*
 * The sending side of BuildKit's file sync (`/moby.filesync.v1.FileSync/DiffCopy`, tonistiigi/fsutil send.go):
 * the stats of every path, in walk order, then an empty stat; the receiver asks for the files whose stat differs
 * from what it already holds (PACKET_REQ with the file's index), gets each in PACKET_DATA chunks ended by an empty
 * one, and closes with PACKET_FIN, answered with PACKET_FIN. BuildKit keeps what it received under the session's
 * shared key, so a rebuild transfers only the files that changed.
 */

/** A file that is not on disk: the Dockerfile Wharf serves in the `dockerfile` directory. */
export interface DataEntry {
  kind: 'data';
  name: string;
  data: Buffer;
  mode: number;
  mtimeNs: bigint;
}

export type SyncEntry = ContextEntry | DataEntry;

/** What BuildKit asks of a directory, from the DiffCopy call's metadata. */
export interface SyncRequest {
  includePatterns: string[];
  excludePatterns: string[];
  followPaths: string[];
}

export const PacketType = { Stat: 0, Req: 1, Data: 2, Fin: 3, Err: 4 } as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

export interface Packet {
  type: PacketType;
  id: number;
  data: Uint8Array;
}

const CHUNK_BYTES = 32 * 1024;

/** Go's os.FileMode bits (fsutil sends `uint32(fi.Mode())`, not a Unix st_mode). */
const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_STICKY = 2 ** 20;

function goFileMode(entry: SyncEntry): number {
  let mode = entry.mode & 0o777;
  if (entry.mode & 0o4000) mode += GO_SETUID;
  if (entry.mode & 0o2000) mode += GO_SETGID;
  if (entry.mode & 0o1000) mode += GO_STICKY;
  if (entry.kind === 'dir') mode += GO_DIR;
  if (entry.kind === 'symlink') mode += GO_SYMLINK;
  return mode;
}

const sizeOf = (entry: SyncEntry): number =>
  entry.kind === 'file'
    ? entry.size
    : entry.kind === 'data'
      ? entry.data.length
      : entry.kind === 'symlink'
        ? Buffer.byteLength(entry.target)
        : 0;

/** fsutil.types.Stat; owners are sent as root, as the Docker CLI does. */
function encodeStat(entry: SyncEntry): Buffer {
  const stat = new ProtoWriter()
    .string(1, entry.name)
    .varint(2, goFileMode(entry))
    .varint(5, sizeOf(entry))
    .varint(6, entry.mtimeNs);
  if (entry.kind === 'symlink') stat.string(7, entry.target);
  return stat.finish();
}

export function encodePacket(type: PacketType, opts: { stat?: Buffer; id?: number; data?: Uint8Array } = {}): Buffer {
  const packet = new ProtoWriter().varint(1, type);
  if (opts.stat) packet.message(2, opts.stat);
  return packet
    .varint(3, opts.id ?? 0)
    .bytes(4, opts.data ?? new Uint8Array())
    .finish();
}

export function decodePacket(buf: Uint8Array): Packet {
  const packet: Packet = { type: PacketType.Stat, id: 0, data: new Uint8Array() };
  for (const { field, value } of fields(buf)) {
    if (field === 1 && typeof value === 'bigint') packet.type = Number(value) as PacketType;
    else if (field === 3 && typeof value === 'bigint') packet.id = Number(value);
    else if (field === 4 && value instanceof Uint8Array) packet.data = value;
  }
  return packet;
}

const ancestors = (name: string): string[] => {
  const parts = name.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
};

/**
 * The entries BuildKit asked for, in walk order: those matching the include patterns or follow paths (or every
 * entry when there are none), minus the exclude patterns (the `.dockerignore` the Dockerfile frontend read), with
 * every parent directory of a kept entry sent before it, as fsutil's walker does.
 */
export function selectEntries(entries: SyncEntry[], request: SyncRequest): SyncEntry[] {
  const includes = [...request.includePatterns, ...request.followPaths];
  const included = dockerignore.default().add(includes);
  const excluded = dockerignore.default().add(request.excludePatterns);
  const wanted = (e: SyncEntry) => {
    if (e.kind === 'dir' && e.ignored) return false;
    if (includes.length > 0 && ![e.name, ...ancestors(e.name)].some((p) => included.ignores(p))) return false;
    return !excluded.ignores(e.name);
  };
  const dirs = new Map(entries.filter((e) => e.kind === 'dir').map((e) => [e.name, e]));
  const sent = new Set<string>();
  const out: SyncEntry[] = [];
  for (const entry of entries) {
    if (!wanted(entry)) continue;
    for (const parent of ancestors(entry.name)) {
      const dir = dirs.get(parent);
      if (dir && !sent.has(parent)) {
        sent.add(parent);
        out.push(dir);
      }
    }
    if (!sent.has(entry.name)) {
      sent.add(entry.name);
      out.push(entry);
    }
  }
  return out;
}

/** Where DiffCopy writes its packets; `send` resolves once the transport can take more. */
export interface PacketSink {
  send(packet: Buffer): Promise<void>;
}

/**
 * One DiffCopy from the sender's side: `incoming` yields the receiver's packets. Resolves when the receiver has
 * finished (PACKET_FIN, answered); rejects on its PACKET_ERR or a request for an unknown file.
 */
export async function diffCopy(entries: SyncEntry[], incoming: AsyncIterable<Packet>, out: PacketSink): Promise<void> {
  const files = new Map<number, SyncEntry>();
  // the stats go out while requests come in; file data goes out in request order, after the stats sent so far
  const stats = (async () => {
    for (const [id, entry] of entries.entries()) {
      if (entry.kind === 'file' || entry.kind === 'data') files.set(id, entry);
      await out.send(encodePacket(PacketType.Stat, { stat: encodeStat(entry) }));
    }
    await out.send(encodePacket(PacketType.Stat));
  })();
  stats.catch(() => undefined);
  for await (const packet of incoming) {
    if (packet.type === PacketType.Err) {
      throw new Error(`BuildKit could not receive the context: ${Buffer.from(packet.data).toString()}`);
    }
    if (packet.type === PacketType.Req) {
      const entry = files.get(packet.id);
      if (!entry) throw new Error(`BuildKit asked for an unknown file id ${packet.id}`);
      files.delete(packet.id);
      await sendFile(packet.id, entry, out);
    } else if (packet.type === PacketType.Fin) {
      await stats;
      await out.send(encodePacket(PacketType.Fin));
      return;
    }
  }
  throw new Error('BuildKit ended the context transfer without finishing it');
}

async function sendFile(id: number, entry: SyncEntry, out: PacketSink): Promise<void> {
  if (entry.kind === 'data') {
    for (let at = 0; at < entry.data.length; at += CHUNK_BYTES) {
      await out.send(encodePacket(PacketType.Data, { id, data: entry.data.subarray(at, at + CHUNK_BYTES) }));
    }
  } else if (entry.kind === 'file') {
    const file = await open(entry.abs, 'r');
    try {
      const buf = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await file.read(buf, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        await out.send(encodePacket(PacketType.Data, { id, data: Buffer.from(buf.subarray(0, bytesRead)) }));
      }
    } finally {
      await file.close();
    }
  }
  await out.send(encodePacket(PacketType.Data, { id }));
}
