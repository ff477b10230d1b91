import { describe, expect, it } from 'vitest';
import { readEventStream, type SseMessage, SseParser } from './event-stream';

describe('SseParser', () => {
  it('splits named events and keeps their ids', () => {
    const parser = new SseParser();
    const messages = parser.push('event: status\nid: 1\ndata: {"seq":1}\n\n: keep-alive\n\nevent: end\ndata: {}\n\n');
    expect(messages).toEqual([
      { event: 'status', data: '{"seq":1}', id: '1' },
      { event: 'end', data: '{}', id: '1' },
    ]);
    expect(parser.lastEventId).toBe('1');
  });

  it('joins data lines, defaults the event name, and waits for the blank line', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\ndata:two\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'one\ntwo', id: undefined }]);
  });

  it('accepts CRLF and CR line ends, also split across chunks', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n\r\ndata: b\r\r\n')).toEqual([
      { event: 'message', data: 'a', id: undefined },
      { event: 'message', data: 'b', id: undefined },
    ]);
  });

  it('keeps a message split in the middle of a line', () => {
    const parser = new SseParser();
    expect(parser.push('event: lo')).toEqual([]);
    expect(parser.push('g\ndata: {"line":"héllo"}\n\n')).toEqual([{ event: 'log', data: '{"line":"héllo"}', id: undefined }]);
  });

  it('ignores a message without data', () => {
    expect(new SseParser().push('event: ping\n\n')).toEqual([]);
  });
});

describe('readEventStream', () => {
  it('reads a body chunk by chunk until it ends', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: 1\n\nda'));
        controller.enqueue(encoder.encode('ta: 2\n\n'));
        controller.close();
      },
    });
    const seen: SseMessage[] = [];
    await readEventStream(new Response(body), new SseParser(), (m) => seen.push(m), new AbortController().signal);
    expect(seen.map((m) => m.data)).toEqual(['1', '2']);
  });
});
