'use client';

import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { readEventStream, type SseMessage, SseParser } from '../api/event-stream';
import { ApiError, isAbort } from '../api/problem';

/**
 * - `connecting`: waiting for the first response;
 * - `live`: messages are arriving;
 * - `reconnecting`: the connection dropped and is tried again;
 * - `ended`: the server closed the stream and nothing more is expected;
 * - `failed`: refused (see `error`) or given up.
 */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';

export interface EventStream {
  status: StreamStatus;
  error: ApiError | undefined;
  /** Connects again (after `failed` or `ended`). */
  restart: () => void;
}

export interface EventStreamOptions {
  /** Sends the request (`request(route, call, { accept: 'text/event-stream', lastEventId, signal })`). */
  open: (signal: AbortSignal, lastEventId: string | undefined) => Promise<Response>;
  onMessage: (message: SseMessage) => void;
  /** Asked when the stream closes or drops: whether more is expected (a followed log, an unfinished deployment). */
  expectMore: () => boolean;
  /** False: stay disconnected. */
  enabled?: boolean;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

function retryable(error: ApiError): boolean {
  return error.status === 0 || error.status >= 500;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

/**
 * A Server-Sent Events stream read with `fetch` (the API authenticates with a bearer token, which
 * `EventSource` cannot send). Reconnects with backoff and `Last-Event-ID` while `expectMore()` says so;
 * `deps` reconnect from scratch, like `useEffect`.
 */
export function useEventStream(options: EventStreamOptions, deps: DependencyList): EventStream {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [error, setError] = useState<ApiError>();
  const [generation, setGeneration] = useState(0);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const enabled = options.enabled ?? true;

  // biome-ignore lint/correctness/useExhaustiveDependencies: callers list what `open` depends on, like useEffect
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const { signal } = controller;
    const parser = new SseParser();

    async function run(): Promise<void> {
      let delay = FIRST_RETRY_MS;
      setStatus('connecting');
      setError(undefined);
      while (!signal.aborted) {
        try {
          const response = await optionsRef.current.open(signal, parser.lastEventId);
          setStatus('live');
          setError(undefined);
          delay = FIRST_RETRY_MS;
          await readEventStream(response, parser, (message) => optionsRef.current.onMessage(message), signal);
          if (signal.aborted) return;
          if (!optionsRef.current.expectMore()) {
            setStatus('ended');
            return;
          }
        } catch (cause) {
          if (signal.aborted || isAbort(cause)) return;
          const failure = ApiError.from(cause);
          if (!retryable(failure) || !optionsRef.current.expectMore()) {
            setError(failure);
            setStatus('failed');
            return;
          }
          setError(failure);
        }
        setStatus('reconnecting');
        await sleep(delay, signal);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }

    void run();
    return () => controller.abort();
  }, [...deps, enabled, generation]);

  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return { status, error, restart };
}
