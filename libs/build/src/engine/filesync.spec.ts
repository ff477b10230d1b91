import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContextEntry } from './context.js';
import { decodePacket, diffCopy, encodePacket, type Packet, PacketType, type SyncEntry, selectEntries } from './filesync.js';
import { fields } from './protowire.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wharf-filesync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dirEntry = (name: string, ignored = false): ContextEntry => ({ kind: 'dir', name, mode: 0o755, mtimeNs: 1n, ignored });
const fileEntry = (name: string, content = name): ContextEntry => {
  const abs = path.join(dir, name.replaceAll('/', '_'));
  writeFileSync(abs, content);
  return { kind: 'file', name, abs, size: Buffer.byteLength(content), mode: 0o644, mtimeNs: 1_700_000_000_123_456_789n };
};

/** The Stat inside an encoded STAT packet, as field number → value. */
function statOf(packet: Buffer): Map<number, bigint | string> {
  const out = new Map<number, bigint | string>();
  for (const { field, value } of fields(packet)) {
    if (field !== 2 || !(value instanceof Uint8Array)) continue;
    for (const f of fields(value)) out.set(f.field, f.value instanceof Uint8Array ? Buffer.from(f.value).toString() : f.value);
  }
  return out;
}

describe('packets', () => {
  it('round-trips the fields the receiver sends', () => {
    const packet = decodePacket(encodePacket(PacketType.Req, { id: 300 }));
    expect(packet).toMatchObject({ type: PacketType.Req, id: 300 });
    expect(decodePacket(encodePacket(PacketType.Err, { data: Buffer.from('no space') }))).toMatchObject({
      type: PacketType.Err,
      data: Buffer.from('no space'),
    });
    // proto3 leaves zero values out: the last stat and a file's end are empty messages apart from the type
    expect(encodePacket(PacketType.Stat)).toEqual(Buffer.alloc(0));
    expect(encodePacket(PacketType.Data, { id: 0 })).toEqual(Buffer.from([0x08, 0x02]));
  });

  it("sends modes as Go's os.FileMode and times in nanoseconds", async () => {
    const sent: Buffer[] = [];
    const entries: SyncEntry[] = [
      { kind: 'dir', name: 'd', mode: 0o1755, mtimeNs: 5n, ignored: false },
      { kind: 'symlink', name: 'd/l', target: '../x', mode: 0o777, mtimeNs: 6n },
      { ...fileEntry('x'), mode: 0o4755 } as SyncEntry,
    ];
    await diffCopy(entries, packets([{ type: PacketType.Fin }]), { send: async (p) => void sent.push(p) });
    const [d, l, x] = sent.map(statOf);
    expect(d?.get(1)).toBe('d');
    expect(d?.get(2)).toBe(BigInt(2 ** 31 + 2 ** 20 + 0o755)); // ModeDir | ModeSticky
    expect(d?.get(6)).toBe(5n);
    expect(l?.get(2)).toBe(BigInt(2 ** 27 + 0o777)); // ModeSymlink
    expect(l?.get(7)).toBe('../x');
    expect(l?.get(5)).toBe(4n); // a link's size is its target's length, as lstat says
    expect(x?.get(2)).toBe(BigInt(2 ** 23 + 0o755)); // ModeSetuid
    expect(x?.get(5)).toBe(1n);
    expect(x?.get(6)).toBe(1_700_000_000_123_456_789n);
    expect(x?.get(3)).toBeUndefined(); // owners are root
  });
});

describe('selectEntries', () => {
  const entries = [
    dirEntry('a'),
    fileEntry('a/keep.txt'),
    fileEntry('a/drop.log'),
    dirEntry('logs', true),
    fileEntry('logs/kept.txt'),
    fileEntry('.dockerignore'),
    fileEntry('Dockerfile'),
  ];
  const names = (request: Partial<Parameters<typeof selectEntries>[1]>) =>
    selectEntries(entries, { includePatterns: [], excludePatterns: [], followPaths: [], ...request }).map((e) => e.name);

  it('sends everything but what was ignored, parents before children', () => {
    expect(names({})).toEqual(['a', 'a/keep.txt', 'a/drop.log', 'logs', 'logs/kept.txt', '.dockerignore', 'Dockerfile']);
  });

  it('applies the exclude patterns the frontend read from .dockerignore', () => {
    expect(names({ excludePatterns: ['**/*.log', 'Dockerfile'] })).toEqual([
      'a',
      'a/keep.txt',
      'logs',
      'logs/kept.txt',
      '.dockerignore',
    ]);
  });

  it('sends only the follow paths and include patterns asked for, with their parents', () => {
    expect(names({ followPaths: ['.dockerignore'] })).toEqual(['.dockerignore']);
    expect(names({ includePatterns: ['a/*.txt'] })).toEqual(['a', 'a/keep.txt']);
    expect(names({ includePatterns: ['a'] })).toEqual(['a', 'a/keep.txt', 'a/drop.log']);
  });
});

/** The receiver's side of a DiffCopy, as an async iterable of packets. */
async function* packets(list: Partial<Packet>[]): AsyncGenerator<Packet> {
  for (const p of list) yield { type: PacketType.Stat, id: 0, data: new Uint8Array(), ...p };
}

describe('diffCopy', () => {
  const big = 'z'.repeat(40 * 1024);
  const entries: SyncEntry[] = [
    dirEntry('src'),
    fileEntry('src/big.txt', big),
    fileEntry('src/small.txt', 'small'),
    { kind: 'data', name: 'Dockerfile', data: Buffer.from('FROM x'), mode: 0o644, mtimeNs: 9n },
  ];

  it('sends the stats, then each requested file in chunks ended by an empty one, then FIN', async () => {
    const sent: Packet[] = [];
    await diffCopy(
      entries,
      packets([{ type: PacketType.Req, id: 1 }, { type: PacketType.Req, id: 3 }, { type: PacketType.Fin }]),
      {
        send: async (p) => void sent.push(decodePacket(p)),
      },
    );
    const kinds = sent.map((p) => `${p.type}:${p.id}:${p.data.length}`);
    expect(kinds.slice(0, 5)).toEqual(['0:0:0', '0:0:0', '0:0:0', '0:0:0', '0:0:0']); // four stats, then the end
    const data = sent.filter((p) => p.type === PacketType.Data);
    expect(data.map((p) => `${p.id}:${p.data.length}`)).toEqual(['1:32768', '1:8192', '1:0', '3:6', '3:0']);
    expect(Buffer.concat(data.filter((p) => p.id === 1).map((p) => p.data)).toString()).toBe(big);
    expect(sent.at(-1)?.type).toBe(PacketType.Fin);
    // small.txt was not asked for (BuildKit already had it): not sent
    expect(data.some((p) => p.id === 2)).toBe(false);
  });

  it("fails on the receiver's error, on a request for what is not a file, and when the receiver leaves", async () => {
    const send = async () => undefined;
    await expect(
      diffCopy(entries, packets([{ type: PacketType.Err, data: Buffer.from('disk full') }]), { send }),
    ).rejects.toThrow(/disk full/);
    await expect(diffCopy(entries, packets([{ type: PacketType.Req, id: 0 }]), { send })).rejects.toThrow(/unknown file id 0/);
    await expect(diffCopy(entries, packets([]), { send })).rejects.toThrow(/without finishing/);
  });
});
