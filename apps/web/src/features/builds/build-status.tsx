'use client';

import type { BuildStatusName } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';

const TONE: Record<BuildStatusName, BadgeTone> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

export function BuildStatusBadge({ status }: { status: BuildStatusName }) {
  const { t } = useI18n();
  return (
    <span data-testid="build-status" data-status={status}>
      <Badge tone={TONE[status]}>{t(`buildStatus.${status}`)}</Badge>
    </span>
  );
}
