'use client';

import { appRoutes } from '@wharf/contracts';
import { useRef, useState } from 'react';
import { request } from '@/lib/api/client';
import type { SseMessage } from '@/lib/api/event-stream';
import { type EventStream, useEventStream } from '@/lib/hooks/use-event-stream';

/** One log line as the logs route streams it (`at` in epoch milliseconds there). */
export interface LogLine {
  /** Client-side key. */
  id: number;
  /** ISO 8601. */
  at: string;
  /** The replica (task) that wrote it. */
  source: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

/** Lines kept in the page; older ones are dropped. */
export const MAX_LINES = 2_000;
/** Lines asked for when the view opens. */
const TAIL = 200;

/** The line's time as ISO 8601 (comparable as text): the stream sends epoch milliseconds. */
function isoTime(at: unknown): string | undefined {
  const time = typeof at === 'number' || typeof at === 'string' ? new Date(at) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : undefined;
}

function parseLine(data: string, id: number): LogLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined; // not JSON: a keep-alive or a message of a newer API, skipped
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const at = isoTime(v.at);
  if (at === undefined || typeof v.line !== 'string') return undefined;
  return {
    id,
    at,
    source: typeof v.source === 'string' ? v.source : '',
    stream: v.stream === 'stderr' ? 'stderr' : 'stdout',
    line: v.line,
  };
}

export function appendCapped<T>(current: readonly T[], more: readonly T[], max = MAX_LINES): T[] {
  const all = [...current, ...more];
  return all.length > max ? all.slice(all.length - max) : all;
}

export interface LogStream {
  lines: LogLine[];
  /** Lines that arrived while paused, shown on resume. */
  pending: number;
  paused: boolean;
  setPaused: (paused: boolean) => void;
  clear: () => void;
  stream: EventStream;
}

/**
 * Follows `GET …/services/{service}/logs?follow=true&tail=200`. A dropped connection resumes from the last
 * line's time (`since`), skipping the lines of that instant already shown.
 */
export function useLogStream(params: { tenant: string; app: string; service: string; environment: string }): LogStream {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [buffer, setBuffer] = useState<LogLine[]>([]);
  const [paused, setPausedState] = useState(false);
  const pausedRef = useRef(false);
  const nextId = useRef(0);
  const last = useRef<{ at: string; seen: Set<string> } | undefined>(undefined);

  function onMessage(message: SseMessage) {
    nextId.current += 1;
    const line = parseLine(message.data, nextId.current);
    if (!line) return;
    const key = `${line.source}\n${line.stream}\n${line.line}`;
    const previous = last.current;
    if (previous) {
      if (line.at < previous.at) return;
      if (line.at === previous.at) {
        if (previous.seen.has(key)) return;
        previous.seen.add(key);
      } else last.current = { at: line.at, seen: new Set([key]) };
    } else last.current = { at: line.at, seen: new Set([key]) };
    if (pausedRef.current) setBuffer((current) => appendCapped(current, [line]));
    else setLines((current) => appendCapped(current, [line]));
  }

  const stream = useEventStream(
    {
      open: (signal) => {
        const since = last.current?.at;
        const { environment, ...path } = params;
        const query = since
          ? { environment, follow: 'true' as const, since, tail: 10_000 }
          : { environment, follow: 'true' as const, tail: TAIL };
        return request(appRoutes.logs, { params: path, query }, { signal, accept: 'text/event-stream' });
      },
      onMessage,
      expectMore: () => true,
    },
    [params.tenant, params.app, params.service, params.environment],
  );

  function setPaused(next: boolean) {
    pausedRef.current = next;
    setPausedState(next);
    if (!next) {
      setLines((current) => appendCapped(current, buffer));
      setBuffer([]);
    }
  }

  function clear() {
    setLines([]);
    setBuffer([]);
  }

  return { lines, pending: buffer.length, paused, setPaused, clear, stream };
}
