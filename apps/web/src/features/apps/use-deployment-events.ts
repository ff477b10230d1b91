'use client';

import { DEPLOYMENT_STATUSES, type DeploymentStatusName, deploymentRoutes } from '@wharf/contracts';
import { useRef, useState } from 'react';
import { request } from '@/lib/api/client';
import type { SseMessage } from '@/lib/api/event-stream';
import { type EventStream, useEventStream } from '@/lib/hooks/use-event-stream';

/** One line of a deployment's progress (`DeploymentEvent` of the contract). */
export interface DeploymentEventLine {
  seq: number;
  at: string;
  kind: 'status' | 'log';
  message: string;
}

function isEventLine(value: unknown): value is DeploymentEventLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.seq === 'number' &&
    typeof v.at === 'string' &&
    (v.kind === 'status' || v.kind === 'log') &&
    typeof v.message === 'string'
  );
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined; // not JSON: a keep-alive or a message of a newer API, skipped
  }
}

/** The status a status event announces (`rolling_out`, `live: 2/2 replicas`), if it names one. */
export function statusOf(message: string): DeploymentStatusName | undefined {
  const text = message.trim().toLowerCase();
  return DEPLOYMENT_STATUSES.find((status) => text === status || new RegExp(`^${status}(?![a-z_])`).test(text));
}

export interface DeploymentEvents {
  events: DeploymentEventLine[];
  /** The latest status announced by the stream. */
  status: DeploymentStatusName | undefined;
  /** The server sent `end`: the deployment is final. */
  ended: boolean;
  stream: EventStream;
}

export interface DeploymentEventsOptions {
  params: { tenant: string; app: string; deploymentId: string };
  /** False once the deployment is known to be final and its events were read. */
  expectMore: () => boolean;
  /** A status event or the end arrived: the caller refreshes the deployment. */
  onChange: () => void;
}

/** Follows `GET …/deployments/{id}/events`: status and log events in `seq` order, until `event: end`. */
export function useDeploymentEvents({ params, expectMore, onChange }: DeploymentEventsOptions): DeploymentEvents {
  const [events, setEvents] = useState<DeploymentEventLine[]>([]);
  const [status, setStatus] = useState<DeploymentStatusName>();
  const [ended, setEnded] = useState(false);
  const endedRef = useRef(false);
  const lastSeq = useRef(-1);

  function onMessage(message: SseMessage) {
    if (message.event === 'end') {
      endedRef.current = true;
      setEnded(true);
      const data = parseData(message.data);
      if (typeof data === 'object' && data !== null && 'status' in data && typeof data.status === 'string') {
        setStatus(statusOf(data.status));
      }
      onChange();
      return;
    }
    const data = parseData(message.data);
    // A reconnection may replay what was already shown: `seq` only goes up.
    if (!isEventLine(data) || data.seq <= lastSeq.current) return;
    lastSeq.current = data.seq;
    setEvents((current) => [...current, data]);
    if (data.kind === 'status') {
      const announced = statusOf(data.message);
      if (announced) setStatus(announced);
      onChange();
    }
  }

  const stream = useEventStream(
    {
      open: (signal, lastEventId) =>
        request(
          deploymentRoutes.events,
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
    [params.tenant, params.app, params.deploymentId],
  );

  return { events, status, ended, stream };
}
