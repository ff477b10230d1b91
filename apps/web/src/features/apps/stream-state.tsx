'use client';

import { Badge, type BadgeTone } from '@/components/badge';
import type { EventStream, StreamStatus } from '@/lib/hooks/use-event-stream';
import { useI18n } from '@/lib/i18n/i18n-provider';

const TONE: Record<StreamStatus, BadgeTone> = {
  connecting: 'neutral',
  live: 'success',
  reconnecting: 'warning',
  ended: 'neutral',
  failed: 'danger',
};

/** "Live", "Reconnecting…", "Ended" of a stream, with a way to reconnect after it gave up. */
export function StreamState({ stream, ended = false }: { stream: EventStream; ended?: boolean }) {
  const { t } = useI18n();
  const status: StreamStatus = ended && stream.status !== 'failed' ? 'ended' : stream.status;
  return (
    <span className="stream-state" data-testid="stream-state" data-status={status}>
      <Badge tone={TONE[status]}>{t(`stream.${status}`)}</Badge>
      {status === 'failed' && (
        <button type="button" className="button button-secondary button-small" onClick={stream.restart}>
          {t('stream.reconnect')}
        </button>
      )}
    </span>
  );
}
