'use client';

import { useRef } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { StreamState } from '@/features/apps/stream-state';
import { useStickToBottom } from '@/features/apps/use-stick-to-bottom';
import type { EventStream } from '@/lib/hooks/use-event-stream';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type LogText, visibleLines } from './build-format';

export interface BuildLogPanelProps {
  log: LogText;
  stream: EventStream;
  /** Nothing more will come. */
  ended: boolean;
}

/** A build's log as it streams, following the newest line unless the reader scrolled up. */
export function BuildLogPanel({ log, stream, ended }: BuildLogPanelProps) {
  const { t, formatNumber } = useI18n();
  const panel = useRef<HTMLDivElement>(null);
  const lines = visibleLines(log);
  const stick = useStickToBottom(panel, lines);
  return (
    <div className="stack">
      <div className="log-toolbar">
        <h3 className="log-title">{t('builds.log')}</h3>
        <StreamState stream={stream} ended={ended} />
      </div>
      <div
        ref={panel}
        className="log-panel log-panel-tall"
        onScroll={stick.onScroll}
        role="log"
        aria-label={t('builds.log')}
        data-testid="build-log"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable with the keyboard
        tabIndex={0}
      >
        {log.dropped > 0 && <p className="log-empty">{t('builds.logDropped', { count: formatNumber(log.dropped) })}</p>}
        {lines.length === 0 ? (
          <p className="log-empty">{ended ? t('builds.logEmpty') : t('builds.logWaiting')}</p>
        ) : (
          lines.map((line, index) => (
            // lines are only appended (or dropped from the front, counted by `dropped`): the number is stable
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div key={log.dropped + index} className="log-line log-build" data-testid="build-log-line">
              <span className="log-text">{line}</span>
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
