'use client';

import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface ProblemAlertProps {
  error: ApiError | undefined;
  /** Field paths shown next to their inputs (`body.email`), so not repeated here. */
  shownFields?: readonly string[];
}

function isShown(path: string, shown: readonly string[]): boolean {
  return shown.some((field) => path === field || path.startsWith(`${field}.`));
}

/** The problem+json of a failed call: its detail, quota figures, and the field errors no input shows. */
export function ProblemAlert({ error, shownFields = [] }: ProblemAlertProps) {
  const { t, formatNumber } = useI18n();
  if (!error) return null;
  const quota = error.quota;
  const others = error.fieldErrors.filter((e) => !isShown(e.path, shownFields));
  const detail = error.status === 0 ? t('error.network') : (error.problem.detail ?? error.problem.title);
  return (
    <div className="alert alert-danger" role="alert" data-testid="problem">
      <p className="alert-title">{detail}</p>
      {quota && (
        <p>
          {t('error.quota', {
            limit: formatNumber(quota.limit),
            used: formatNumber(quota.used),
            requested: formatNumber(quota.requested ?? 1),
          })}
        </p>
      )}
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
