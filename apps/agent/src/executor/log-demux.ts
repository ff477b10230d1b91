import { StringDecoder } from 'node:string_decoder';

/*
 * Docker's log stream without a TTY is multiplexed: frames of an 8-byte header (stream type: 1 stdout, 2 stderr;
 * three zero bytes; big-endian payload length) followed by the payload. These helpers undo that incrementally
 * (frames and lines may be cut anywhere between two chunks) and parse the lines `timestamps` + `details` produce.
 */

export type StreamName = 'stdout' | 'stderr';

export interface LogFrame {
  stream: StreamName;
  data: Buffer;
}

const HEADER = 8;

/** Splits a multiplexed stream into frames. A stream that does not start with a frame header is passed as stdout. */
export class FrameDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  private raw: boolean | undefined;

  push(chunk: Buffer): LogFrame[] {
    if (this.raw === undefined && chunk.length > 0) this.raw = !looksLikeHeader(chunk);
    if (this.raw) return chunk.length > 0 ? [{ stream: 'stdout', data: chunk }] : [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: LogFrame[] = [];
    while (this.buffer.length >= HEADER) {
      const type = this.buffer[0];
      const length = this.buffer.readUInt32BE(4);
      if (this.buffer.length < HEADER + length) break;
      const data = this.buffer.subarray(HEADER, HEADER + length);
      this.buffer = this.buffer.subarray(HEADER + length);
      frames.push({ stream: type === 2 ? 'stderr' : 'stdout', data });
    }
    return frames;
  }
}

function looksLikeHeader(chunk: Buffer): boolean {
  const type = chunk[0];
  if (type !== 0 && type !== 1 && type !== 2) return false;
  return chunk.length < 4 || (chunk[1] === 0 && chunk[2] === 0 && chunk[3] === 0);
}

/** Splits text into lines (LF or CRLF); keeps a trailing partial line for the next push; cuts lines at `maxLength`. */
export class LineSplitter {
  private partial = '';
  // a character may be cut between two frames (the engine splits messages over 16 KiB)
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly maxLength = 16_384) {}

  push(data: Buffer | string): string[] {
    const text = this.partial + (typeof data === 'string' ? data : this.decoder.write(data));
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const lines = parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    while (this.partial.length > this.maxLength) {
      lines.push(this.partial.slice(0, this.maxLength));
      this.partial = this.partial.slice(this.maxLength);
    }
    return lines.map((l) => l.slice(0, this.maxLength));
  }

  /** What is left without a final newline. */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? [] : [rest];
  }
}

export interface ParsedLogLine {
  /** Unix ms; undefined when the line has no timestamp. */
  at?: number;
  /** The `details` attributes (`com.docker.swarm.task.id`, …). */
  details: Record<string, string>;
  message: string;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d) /;
const DETAILS = /^([A-Za-z0-9_.-]+=[^ ,]*(?:,[A-Za-z0-9_.-]+=[^ ,]*)*) /;

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Parses `<RFC 3339 timestamp> <k=v,k=v> <message>` (the first two parts optional). */
export function parseLogLine(line: string): ParsedLogLine {
  let rest = line;
  let at: number | undefined;
  const ts = TIMESTAMP.exec(rest);
  if (ts) {
    // Date.parse keeps milliseconds only
    at = Date.parse(`${ts[1]}${(ts[2] ?? '').slice(0, 4)}${ts[3]}`);
    rest = rest.slice(ts[0].length);
  }
  const details: Record<string, string> = {};
  const d = DETAILS.exec(rest);
  if (d?.[1]) {
    for (const pair of d[1].split(',')) {
      const eq = pair.indexOf('=');
      details[pair.slice(0, eq)] = decode(pair.slice(eq + 1));
    }
    rest = rest.slice(d[0].length);
  }
  return { ...(at !== undefined && !Number.isNaN(at) ? { at } : {}), details, message: rest };
}
