'use client';

import { QUOTA_KEYS, type QuotaKey } from '@wharf/contracts';
import type { ApiError, QuotaDetails } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface ProblemAlertProps {
  error: ApiError | undefined;
  /** Field paths shown next to their inputs (`body.email`), so not repeated here. */
  shownFields?: readonly string[];
}

function isQuotaKey(value: string | undefined): value is QuotaKey {
  return QUOTA_KEYS.some((key) => key === value);
}

function QuotaFigures({ quota }: { quota: QuotaDetails }) {
  const { t, formatNumber } = useI18n();
  const figures = {
    limit: formatNumber(quota.limit),
    used: formatNumber(quota.used),
    requested: formatNumber(quota.requested ?? 1),
  };
  const text = isQuotaKey(quota.quota)
    ? t('error.quotaOf', { ...figures, quota: t(`quota.${quota.quota}`), unit: t(`quotaUnit.${quota.quota}`) })
    : t('error.quota', figures);
  return <p data-testid="problem-quota">{text}</p>;
}

function isShown(path: string, shown: readonly string[]): boolean {
  return shown.some((field) => path === field || path.startsWith(`${field}.`));
}

/** The problem+json of a failed call: its detail, quota figures, and the field errors no input shows. */
export function ProblemAlert({ error, shownFields = [] }: ProblemAlertProps) {
  const { t } = useI18n();
  if (!error) return null;
  const quota = error.quota;
  const others = error.fieldErrors.filter((e) => !isShown(e.path, shownFields));
  const detail = error.status === 0 ? t('error.network') : (error.problem.detail ?? error.problem.title);
  return (
    <div className="alert alert-danger" role="alert" data-testid="problem">
      <p className="alert-title">{detail}</p>
      {quota && <QuotaFigures quota={quota} />}
      {others.length > 0 && (
        <ul className="alert-list">
          {others.map((e) => (
            <li key={`${e.path}:${e.code}`}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
