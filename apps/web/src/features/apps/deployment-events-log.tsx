'use client';

import { useRef } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import type { EventStream } from '@/lib/hooks/use-event-stream';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { StreamState } from './stream-state';
import type { DeploymentEventLine } from './use-deployment-events';
import { useStickToBottom } from './use-stick-to-bottom';

export interface DeploymentEventsLogProps {
  events: readonly DeploymentEventLine[];
  stream: EventStream;
  /** Nothing more will come. */
  ended: boolean;
}

/** A deployment's status changes and log lines as they arrive, newest at the bottom. */
export function DeploymentEventsLog({ events, stream, ended }: DeploymentEventsLogProps) {
  const { t, formatTime } = useI18n();
  const panel = useRef<HTMLDivElement>(null);
  const stick = useStickToBottom(panel, events.length);
  return (
    <div className="stack">
      <div className="log-toolbar">
        <h3 className="log-title">{t('deployments.progress')}</h3>
        <StreamState stream={stream} ended={ended} />
      </div>
      <div
        ref={panel}
        className="log-panel"
        onScroll={stick.onScroll}
        role="log"
        aria-live="polite"
        aria-label={t('deployments.progress')}
        data-testid="deployment-events"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable with the keyboard
        tabIndex={0}
      >
        {events.length === 0 ? (
          <p className="log-empty">{ended ? t('deployments.noEvents') : t('deployments.waiting')}</p>
        ) : (
          events.map((event) => (
            <div key={event.seq} className={`log-line log-${event.kind}`} data-testid="deployment-event" data-kind={event.kind}>
              <time className="log-time" dateTime={event.at} title={event.at}>
                {formatTime(event.at)}
              </time>
              <span className="log-text" lang="en">
                {event.message}
              </span>
            </div>
          ))
        )}
      </div>
      {!stick.atBottom && (
        <button type="button" className="button button-secondary button-small log-jump" onClick={stick.jumpToBottom}>
          {t('logs.jumpToLatest')}
        </button>
      )}
      {stream.status === 'failed' && <ProblemAlert error={stream.error} />}
    </div>
  );
}
