/** One Server-Sent Events message: its `event:` name (`message` when absent), its `data:` lines and its `id:`. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * An incremental `text/event-stream` parser (the WHATWG rules: `\n`, `\r\n` or `\r` line ends, `:` comments,
 * one leading space stripped from values, multi-line `data`, `id` persisting across messages).
 * Feed it decoded chunks as they arrive; it returns the messages each chunk completes.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private hasData = false;
  /** The last `id:` seen: what a reconnection sends as `Last-Event-ID`. */
  lastEventId: string | undefined;

  push(chunk: string): SseMessage[] {
    const messages: SseMessage[] = [];
    const text = this.buffer + chunk;
    let start = 0;
    for (let i = 0; i < text.length; i += 1) {
      const char = text[i];
      if (char !== '\n' && char !== '\r') continue;
      // A `\r` at the end of the chunk may be the first half of `\r\n`: wait for the next chunk.
      if (char === '\r' && i + 1 === text.length) break;
      const line = text.slice(start, i);
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      start = i + 1;
      this.line(line, messages);
    }
    this.buffer = text.slice(start);
    return messages;
  }

  private line(line: string, messages: SseMessage[]): void {
    if (line === '') {
      this.dispatch(messages);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
  }

  private dispatch(messages: SseMessage[]): void {
    if (this.hasData) {
      messages.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId });
    }
    this.event = '';
    this.data = [];
    this.hasData = false;
  }
}

/**
 * Reads an event-stream response to its end, handing over each message. Resolves when the server closes
 * the stream; rejects when the connection fails or `signal` aborts it.
 */
export async function readEventStream(
  response: Response,
  parser: SseParser,
  onMessage: (message: SseMessage) => void,
  signal: AbortSignal,
): Promise<void> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const cancel = () => void reader.cancel().catch(() => undefined); // the abort below is what the caller sees
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || signal.aborted) return;
      for (const message of parser.push(value)) onMessage(message);
    }
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
