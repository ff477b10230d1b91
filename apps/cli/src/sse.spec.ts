import { describe, expect, it } from 'vitest';
import { readEvents, type SseEvent, SseParser } from './sse.js';

const STREAM = [
  ': keepalive',
  '',
  'id: 1',
  'event: log',
  `data: ${JSON.stringify({ seq: 1, text: 'step 1/3\nstep 2/3\n' })}`,
  '',
  'event: log',
  'data: first',
  'data: second',
  '',
  'event: end',
  `data: ${JSON.stringify({ status: 'succeeded', reason: null })}`,
  '',
  '',
].join('\n');

const EXPECTED: SseEvent[] = [
  { event: 'log', data: JSON.stringify({ seq: 1, text: 'step 1/3\nstep 2/3\n' }), id: '1' },
  { event: 'log', data: 'first\nsecond', id: '1' },
  { event: 'end', data: JSON.stringify({ status: 'succeeded', reason: null }), id: '1' },
];

function parseInChunks(bytes: Uint8Array, sizes: number[]): SseEvent[] {
  const parser = new SseParser();
  const out: SseEvent[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    out.push(...parser.push(bytes.subarray(at, at + size)));
    at += size;
  }
  out.push(...parser.end());
  return out;
}

describe('SseParser', () => {
  it('parses events, multi-line data, ids and comments', () => {
    expect(parseInChunks(new TextEncoder().encode(STREAM), [STREAM.length])).toEqual(EXPECTED);
  });

  it('gives the same events whatever the chunk boundaries (inside lines, fields and events)', () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (const sizes of [[1], [2], [3, 7], [5, 1, 13], [64]]) expect(parseInChunks(bytes, sizes)).toEqual(EXPECTED);
  });

  it('keeps a multi-byte character split between chunks', () => {
    const bytes = new TextEncoder().encode('event: log\ndata: {"text":"héllo ✓ 🚢"}\n\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseInChunks(bytes, [cut, bytes.length])).toEqual([{ event: 'log', data: '{"text":"héllo ✓ 🚢"}' }]);
    }
  });

  it('accepts CRLF and CR line endings, also with the CR and LF in different chunks', () => {
    const crlf = 'event: status\r\ndata: queued\r\n\r\nevent: end\rdata: {}\r\r';
    const bytes = new TextEncoder().encode(crlf);
    const expected = [
      { event: 'status', data: 'queued' },
      { event: 'end', data: '{}' },
    ];
    for (const sizes of [[1], [2], [14, 1], [crlf.length]]) expect(parseInChunks(bytes, sizes)).toEqual(expected);
  });

  it('defaults the type to message, skips events without data, drops an unterminated last event', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\n\nevent: empty\n\ndata:b\n\ndata: cut off')).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
    expect(parser.end()).toEqual([]);
  });

  it('readEvents reads a byte stream to its end', async () => {
    async function* body() {
      const bytes = new TextEncoder().encode(STREAM);
      for (let i = 0; i < bytes.length; i += 4) yield bytes.subarray(i, i + 4);
    }
    const events: SseEvent[] = [];
    for await (const e of readEvents(body())) events.push(e);
    expect(events).toEqual(EXPECTED);
  });
});
