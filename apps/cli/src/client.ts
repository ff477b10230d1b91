import { ApiError, CliError, type Problem } from './errors.js';
import { readEvents, type SseEvent } from './sse.js';
import { VERSION } from './version.js';

export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  /** JSON body. */
  body?: unknown;
  /** A raw body with its content type (the source archive). */
  raw?: { type: string; data: Uint8Array };
  /** What is being done, for error messages: "creating the app". */
  what: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const enc = encodeURIComponent;

/** The Wharf API as the CLI uses it: a personal API token, JSON in and out, problem+json errors, SSE streams. */
export class ApiClient {
  constructor(
    readonly base: string,
    private readonly token: string,
    readonly tenant: string,
  ) {}

  /** `/api/v1/tenants/{tenant}/apps/{app}/…segments`, each segment URL-encoded. */
  appPath(app: string, ...segments: string[]): string {
    return [`/api/v1/tenants/${enc(this.tenant)}/apps/${enc(app)}`, ...segments.map(enc)].join('/');
  }

  tenantPath(...segments: string[]): string {
    return [`/api/v1/tenants/${enc(this.tenant)}`, ...segments.map(enc)].join('/');
  }

  get<T>(path: string, what: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { what, ...(query ? { query } : {}) });
  }

  async request<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    let body: Uint8Array | string | undefined;
    if (opts.raw) {
      headers['content-type'] = opts.raw.type;
      body = opts.raw.data;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
    const res = await this.fetch(path, opts, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
    const text = await res.text();
    const json = text && /json/.test(res.headers.get('content-type') ?? '') ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new ApiError(res.status, json as Problem | undefined, opts.what);
    return json as T;
  }

  /**
   * Reads a Server-Sent Events stream until it ends. A `Last-Event-ID` resumes a stream cut short (the API replays
   * from the event after it).
   */
  async *events(
    path: string,
    opts: { what: string; query?: Query; lastEventId?: string; signal?: AbortSignal },
  ): AsyncGenerator<SseEvent> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (opts.lastEventId !== undefined) headers['last-event-id'] = opts.lastEventId;
    const res = await this.fetch(path, opts, { headers, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (!res.ok) {
      const text = await res.text();
      const problem = /json/.test(res.headers.get('content-type') ?? '') && text ? (JSON.parse(text) as Problem) : undefined;
      throw new ApiError(res.status, problem, opts.what);
    }
    if (!res.body) return;
    yield* readEvents(res.body);
  }

  private async fetch(path: string, opts: { query?: Query; what: string }, init: RequestInit): Promise<Response> {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    try {
      return await fetch(url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: `Bearer ${this.token}`,
          'user-agent': `wharf-cli/${VERSION}`,
        },
      });
    } catch (e) {
      if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) throw e;
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
      const why = (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause));
      throw new CliError(`${opts.what}: cannot reach the API at ${this.base} (${why}).`);
    }
  }
}
