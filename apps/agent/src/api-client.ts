import {
  AGENT_PATHS,
  type CommandResult,
  type EventsRequest,
  type Heartbeat,
  HeartbeatResponse,
  LogBatchResponse,
  type PollRequest,
  PollResponse,
  type RegisterRequest,
  RegisterResponse,
  RotateResponse,
  type StatsReport,
  StatsReportResponse,
} from '@wharf/contracts';
import { z } from 'zod';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, sleep } from './backoff.js';
import { AbortedError, ApiError, ApiUnavailableError, errorMessage, FatalAuthError, ProtocolError } from './errors.js';
import type { Logger } from './logger.js';

/*
 * The agent's side of the agent protocol: JSON over HTTPS to the API, `Authorization: Bearer <credential>`.
 * Network errors, 5xx and 429 are retried with exponential backoff and jitter (0.5 s → 30 s); 401/403 are fatal
 * (revoked credential, spent join token); other 4xx are ApiError. Every answer is parsed with its protocol schema.
 */

export type FetchFn = typeof fetch;

export interface ApiClientOptions {
  baseUrl: string;
  credential?: string;
  log: Logger;
  fetch?: FetchFn;
  backoff?: BackoffPolicy;
  /** Per-request timeout besides the long-poll's own wait. */
  timeoutMs?: number;
}

interface RequestOptions<T> {
  schema?: z.ZodType<T>;
  /** 'forever': retry until it works or `signal` aborts; a number: at most that many attempts. */
  retry: 'forever' | number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Send without a credential (registration). */
  anonymous?: boolean;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

export class ApiClient {
  private credential: string | undefined;
  /** Settles when a credential rotation in progress has ended. */
  private rotating: Promise<void> | undefined;
  private readonly fetchFn: FetchFn;
  private readonly backoff: BackoffPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: ApiClientOptions) {
    this.credential = options.credential;
    this.fetchFn = options.fetch ?? fetch;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  setCredential(credential: string): void {
    this.credential = credential;
  }

  /**
   * Replaces the credential: asks the API for a new one, lets `save` keep it (before any use), then uses it. From
   * the moment the request leaves until the new credential is in use, a call refused with the old one waits for
   * the rotation and is sent again with the new one, instead of ending the agent.
   */
  async rotateCredential(save: (credential: string) => Promise<void>, signal?: AbortSignal): Promise<void> {
    let settle: () => void = () => undefined;
    this.rotating = new Promise<void>((resolve) => {
      settle = resolve;
    });
    try {
      const { credential } = await this.rotate(signal);
      await save(credential);
      this.credential = credential;
    } finally {
      this.rotating = undefined;
      settle();
    }
  }

  register(body: z.input<typeof RegisterRequest>, signal?: AbortSignal): Promise<z.output<typeof RegisterResponse>> {
    return this.request(AGENT_PATHS.register, body, { schema: RegisterResponse, retry: 'forever', signal, anonymous: true });
  }

  private rotate(signal?: AbortSignal): Promise<z.output<typeof RotateResponse>> {
    // not retried: a rotation whose answer was lost cannot be told from one that never happened
    return this.request(AGENT_PATHS.rotate, {}, { schema: RotateResponse, retry: 1, signal });
  }

  poll(body: z.input<typeof PollRequest>, signal?: AbortSignal): Promise<z.output<typeof PollResponse>> {
    const waitMs = body.waitMs ?? 25_000;
    return this.request(AGENT_PATHS.poll, body, {
      schema: PollResponse,
      retry: 'forever',
      signal,
      timeoutMs: waitMs + this.timeoutMs,
    });
  }

  postResult(commandId: string, result: CommandResult, signal?: AbortSignal): Promise<void> {
    return this.request(pathOf(AGENT_PATHS.result, { commandId }), result, { retry: 'forever', signal });
  }

  postProgress(commandId: string, message: string, signal?: AbortSignal): Promise<void> {
    return this.request(
      pathOf(AGENT_PATHS.progress, { commandId }),
      { message: message.slice(0, 4000), at: Date.now() },
      { retry: 3, signal },
    );
  }

  heartbeat(body: z.input<typeof Heartbeat>, signal?: AbortSignal): Promise<z.output<typeof HeartbeatResponse>> {
    return this.request(AGENT_PATHS.heartbeat, body, { schema: HeartbeatResponse, retry: 1, signal });
  }

  postEvents(body: z.input<typeof EventsRequest>, signal?: AbortSignal): Promise<void> {
    return this.request(AGENT_PATHS.events, body, { retry: 3, signal });
  }

  /** Not retried: the next sample follows within an interval. */
  postStats(body: StatsReport, signal?: AbortSignal): Promise<z.output<typeof StatsReportResponse>> {
    return this.request(AGENT_PATHS.stats, body, { schema: StatsReportResponse, retry: 1, signal });
  }

  postLogs(
    streamId: string,
    body: { lines: unknown[]; done: boolean },
    signal?: AbortSignal,
  ): Promise<z.output<typeof LogBatchResponse>> {
    return this.request(pathOf(AGENT_PATHS.logs, { streamId }), body, { schema: LogBatchResponse, retry: 5, signal });
  }

  private async request<T>(path: string, body: unknown, opts: RequestOptions<T>): Promise<T> {
    let failures = 0;
    for (;;) {
      if (opts.signal?.aborted) throw new AbortedError();
      const credential = this.credential;
      let retryable: Error;
      try {
        return await this.once(path, body, credential, opts);
      } catch (err) {
        if (err instanceof FatalAuthError && !opts.anonymous && path !== AGENT_PATHS.rotate) {
          // refused during a rotation: the old credential stopped working before the new one was in use
          if (this.rotating) await this.rotating;
          // the credential was rotated while this request was in flight: send it again with the new one at once
          if (credential !== this.credential) continue;
        }
        if (err instanceof FatalAuthError || err instanceof ApiError || err instanceof ProtocolError) throw err;
        if (opts.signal?.aborted) throw new AbortedError();
        retryable =
          err instanceof ApiUnavailableError
            ? err
            : new ApiUnavailableError(`cannot reach the API on ${path}: ${errorMessage(err)}`);
      }
      failures++;
      if (opts.retry !== 'forever' && failures >= opts.retry) throw retryable;
      const delay = backoffDelay(failures - 1, this.backoff);
      this.options.log.warn({ path, attempt: failures, delayMs: delay, err: retryable.message }, 'API call failed, retrying');
      await sleep(delay, opts.signal);
    }
  }

  private async once<T>(path: string, body: unknown, credential: string | undefined, opts: RequestOptions<T>): Promise<T> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (!opts.anonymous && credential !== undefined) headers.authorization = `Bearer ${credential}`;
    const res = await this.fetchFn(`${this.options.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      throw new FatalAuthError(res.status, `the API refused the agent (${res.status} on ${path}): ${problemDetail(text)}`);
    }
    if (RETRYABLE.has(res.status)) throw new ApiUnavailableError(`the API answered ${res.status} on ${path}`);
    if (!res.ok) throw new ApiError(res.status, `the API answered ${res.status} on ${path}: ${problemDetail(text)}`);
    if (!opts.schema) return undefined as T;
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch (err) {
      throw new ProtocolError(`the API answered non-JSON on ${path}: ${errorMessage(err)}`);
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) throw new ProtocolError(`unexpected answer on ${path}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
}

/** Fills `{name}` placeholders of an agent path. */
export function pathOf(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? ''));
}

/** The `detail` (or `title`) of a problem+json body, else the start of the body; never echoes request data. */
function problemDetail(text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null) {
      const detail = 'detail' in json ? json.detail : 'title' in json ? json.title : undefined;
      if (typeof detail === 'string') return detail.slice(0, 500);
    }
  } catch {
    // not JSON: use the text itself
  }
  return text.slice(0, 200) || 'no detail';
}
