'use client';

import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** A quiet line while background refreshes fail: what is shown may be out of date. */
export function StaleNotice({ error }: { error: ApiError | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  const reason = error.status === 0 ? t('error.network') : (error.problem.detail ?? error.problem.title);
  return (
    <p className="stale-notice" role="status" data-testid="stale-notice">
      {t('common.stale', { reason })}
    </p>
  );
}
