'use client';

import { PROBLEM_TYPES, QUOTA_KEYS, type QuotaKey } from '@wharf/contracts';
import { type ApiError, type QuotaDetails, SESSION_PROBLEM } from '@/lib/api/problem';
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

type ProblemKind = (typeof PROBLEM_TYPES)[keyof typeof PROBLEM_TYPES];

function isProblemKind(kind: string): kind is ProblemKind {
  return Object.values(PROBLEM_TYPES).some((known) => known === kind);
}

function isShown(path: string, shown: readonly string[]): boolean {
  return shown.some((field) => path === field || path.startsWith(`${field}.`));
}

/**
 * The problem+json of a failed call: its detail, quota figures, and the field errors no input shows. The API
 * words them in English: on a page in another language they read in that language where the dashboard knows the
 * words; where it does not, the alert leads with the problem's kind in that language and the API's words follow,
 * marked as English.
 */
export function ProblemAlert({ error, shownFields = [] }: ProblemAlertProps) {
  const { t, apiText } = useI18n();
  if (!error) return null;
  const quota = error.quota;
  const others = error.fieldErrors.filter((e) => !isShown(e.path, shownFields));
  const kind = error.kind;
  const own = error.status === 0 ? t('error.network') : error.problem.type === SESSION_PROBLEM ? t('error.session') : undefined;
  const detail = own ? undefined : apiText(error.problem.detail ?? error.problem.title);
  const summary = own ?? (detail?.lang && isProblemKind(kind) ? t(`problem.${kind}`) : undefined);
  return (
    <div className="alert alert-danger" role="alert" data-testid="problem">
      {summary && <p className="alert-title">{summary}</p>}
      {detail && (
        <p className={summary ? undefined : 'alert-title'} lang={detail.lang}>
          {detail.text}
        </p>
      )}
      {quota && <QuotaFigures quota={quota} />}
      {others.length > 0 && (
        <ul className="alert-list">
          {others.map((e) => {
            const message = apiText(e.message, e);
            return (
              <li key={`${e.path}:${e.code}`}>
                <code>{e.path}</code>: <span lang={message.lang}>{message.text}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
