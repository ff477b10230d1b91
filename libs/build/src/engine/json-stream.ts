import { StringDecoder } from 'node:string_decoder';

/** One message of the Engine API's build and push progress streams (newline-delimited JSON). */
export interface StreamMessage {
  id?: string;
  stream?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: string | { ID?: string; Tag?: string; Digest?: string; Size?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

/** Cuts text that arrives in arbitrary chunks into lines; `flush` emits an unterminated last line. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.rest + chunk).split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }

  flush(): void {
    if (this.rest) this.emit(this.rest);
    this.rest = '';
  }
}

/** Reads a newline-delimited JSON stream to its end; lines that are not JSON objects go to `onText`. */
export async function readJsonMessages(
  stream: AsyncIterable<Buffer | string>,
  onMessage: (m: StreamMessage) => void,
  onText: (line: string) => void,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  const handle = (line: string) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object') onMessage(parsed as StreamMessage);
    else onText(line);
  };
  const lines = new LineSplitter(handle);
  for await (const chunk of stream) lines.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  lines.push(decoder.end());
  lines.flush();
}
