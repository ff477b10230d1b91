import { describe, expect, it } from 'vitest';
import { decodeStatusResponse, ProtobufError } from './buildkit-status.js';

// A hand encoder for the wire format (https://protobuf.dev/programming-guides/encoding/), enough for the tests.
const varint = (n: bigint): number[] => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
  return out;
};
const key = (field: number, wire: number) => varint(BigInt((field << 3) | wire));
const int = (field: number, n: number | bigint) => [...key(field, 0), ...varint(BigInt(n))];
const len = (field: number, body: number[] | string) => {
  const bytes = typeof body === 'string' ? [...Buffer.from(body)] : body;
  return [...key(field, 2), ...varint(BigInt(bytes.length)), ...bytes];
};
const ts = (field: number, ms: number) => len(field, [...int(1, Math.floor(ms / 1000)), ...int(2, (ms % 1000) * 1e6)]);
const msg = (...parts: number[][]) => new Uint8Array(parts.flat());

describe('decodeStatusResponse', () => {
  it('decodes vertexes, statuses, logs and warnings', () => {
    const vertex = [
      ...len(1, 'sha256:aaa'),
      ...len(2, 'sha256:in1'),
      ...len(2, 'sha256:in2'),
      ...len(3, '[2/4] RUN npm ci'),
      ...int(4, 1),
      ...ts(5, 1_700_000_000_250),
      ...ts(6, 1_700_000_001_500),
      ...len(7, 'exit code: 1'),
      ...len(8, [...len(1, 'group')]), // progressGroup: skipped
    ];
    const status = [
      ...len(1, 'exporting layers'),
      ...len(2, 'sha256:aaa'),
      ...len(3, 'layers'),
      ...int(4, 7),
      ...int(5, 10),
      ...ts(6, 1000),
      ...ts(7, 2000),
      ...ts(8, 3500),
    ];
    const log = [...len(1, 'sha256:aaa'), ...ts(2, 1_700_000_000_762), ...int(3, 2), ...len(4, 'added 0 packages\n')];
    const warning = [...len(1, 'sha256:aaa'), ...int(2, 1), ...len(3, 'deprecated'), ...len(4, 'detail')];
    const decoded = decodeStatusResponse(msg(len(1, vertex), len(2, status), len(3, log), len(4, warning)));

    expect(decoded.vertexes).toEqual([
      {
        digest: 'sha256:aaa',
        inputs: ['sha256:in1', 'sha256:in2'],
        name: '[2/4] RUN npm ci',
        cached: true,
        started: 1_700_000_000_250,
        completed: 1_700_000_001_500,
        error: 'exit code: 1',
      },
    ]);
    expect(decoded.statuses).toEqual([
      {
        id: 'exporting layers',
        vertex: 'sha256:aaa',
        name: 'layers',
        current: 7,
        total: 10,
        timestamp: 1000,
        started: 2000,
        completed: 3500,
      },
    ]);
    expect(decoded.logs).toHaveLength(1);
    expect(decoded.logs[0]).toMatchObject({ vertex: 'sha256:aaa', timestamp: 1_700_000_000_762, stream: 2 });
    expect(Buffer.from(decoded.logs[0]?.msg ?? []).toString()).toBe('added 0 packages\n');
    expect(decoded.warnings).toEqual([{ vertex: 'sha256:aaa', level: 1, short: 'deprecated' }]);
  });

  it('leaves absent fields at their defaults and skips unknown fields of every wire type', () => {
    const unknown = [
      ...int(99, 5),
      ...key(98, 1),
      ...[1, 2, 3, 4, 5, 6, 7, 8], // fixed64
      ...key(97, 5),
      ...[1, 2, 3, 4], // fixed32
      ...len(96, 'ignored'),
    ];
    const decoded = decodeStatusResponse(msg(len(1, [...len(1, 'sha256:b'), ...unknown]), unknown));
    expect(decoded.vertexes).toEqual([{ digest: 'sha256:b', inputs: [], name: '', cached: false, error: '' }]);
    expect(decoded.statuses).toEqual([]);
  });

  it('reads negative int64 values as two’s complement', () => {
    const decoded = decodeStatusResponse(msg(len(2, [...len(1, 'x'), ...int(4, -1n)])));
    expect(decoded.statuses[0]?.current).toBe(-1);
  });

  it('decodes what the engine sent (a real moby.buildkit.trace aux)', () => {
    const aux =
      'Cm8KR3NoYTI1NjphNDhmMDMxNTFlYmMwNDY4YTkxMzI0YjdjZmNhYjY5YTc4ZjA2OGU5Y2M5YjkyMzk0M2JkYThjOGZiYTM2ZWM3GiRbaW50ZXJuYWxdIGxvYWQgcmVtb3RlIGJ1aWxkIGNvbnRleHQ=';
    const decoded = decodeStatusResponse(Buffer.from(aux, 'base64'));
    expect(decoded.vertexes).toEqual([
      {
        digest: 'sha256:a48f03151ebc0468a91324b7cfcab69a78f068e9cc9b923943bda8c8fba36ec7',
        inputs: [],
        name: '[internal] load remote build context',
        cached: false,
        error: '',
      },
    ]);
  });

  it('throws ProtobufError on truncated or malformed input', () => {
    expect(() => decodeStatusResponse(msg(len(1, 'abc')).subarray(0, 3))).toThrow(ProtobufError);
    expect(() => decodeStatusResponse(new Uint8Array([0x08, 0x80]))).toThrow(ProtobufError);
    expect(() => decodeStatusResponse(new Uint8Array([(1 << 3) | 3]))).toThrow(ProtobufError); // group start
  });
});
