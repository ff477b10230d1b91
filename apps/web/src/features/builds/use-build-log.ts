'use client';

import { BUILD_STATUSES, type BuildStatusName, buildRoutes } from '@wharf/contracts';
import { useRef, useState } from 'react';
import { request } from '@/lib/api/client';
import type { SseMessage } from '@/lib/api/event-stream';
import { type EventStream, useEventStream } from '@/lib/hooks/use-event-stream';
import { appendLog, EMPTY_LOG, type LogText } from './build-format';

export interface BuildLog {
  log: LogText;
  /** The status the `end` event announced: the build is over. */
  ended: BuildStatusName | undefined;
  stream: EventStream;
}

export interface BuildLogOptions {
  params: { tenant: string; app: string; build: string };
  /** False once the build is known to be over and its log was read. */
  expectMore: () => boolean;
  /** The stream ended: the caller refreshes the build. */
  onEnd: () => void;
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not JSON: a message of a newer API, skipped
  }
}

function isBuildStatus(value: unknown): value is BuildStatusName {
  return BUILD_STATUSES.some((status) => status === value);
}

/**
 * Follows `GET …/builds/{id}/logs`: `log` events (`{seq, text}`, text of whole or partial lines) until `end`.
 * A reconnection resumes after the last chunk (`Last-Event-ID`); chunks already shown are skipped by `seq`.
 */
export function useBuildLog({ params, expectMore, onEnd }: BuildLogOptions): BuildLog {
  const [log, setLog] = useState<LogText>(EMPTY_LOG);
  const [ended, setEnded] = useState<BuildStatusName>();
  const endedRef = useRef(false);
  const lastSeq = useRef(-1);

  function onMessage(message: SseMessage) {
    const data = parse(message.data);
    if (message.event === 'end') {
      endedRef.current = true;
      // `null` when the build is gone: nothing more will come either way
      setEnded(isBuildStatus(data?.status) ? data.status : 'failed');
      onEnd();
      return;
    }
    if (message.event !== 'log' || typeof data?.seq !== 'number' || typeof data.text !== 'string') return;
    if (data.seq <= lastSeq.current) return;
    lastSeq.current = data.seq;
    const text = data.text;
    setLog((current) => appendLog(current, text));
  }

  const stream = useEventStream(
    {
      open: (signal, lastEventId) =>
        request(
          buildRoutes.logs,
          { params },
          {
            signal,
            accept: 'text/event-stream',
            lastEventId: lastEventId ?? (lastSeq.current >= 0 ? String(lastSeq.current) : undefined),
          },
        ),
      onMessage,
      expectMore: () => !endedRef.current && expectMore(),
    },
    [params.tenant, params.app, params.build],
  );

  return { log, ended, stream };
}
