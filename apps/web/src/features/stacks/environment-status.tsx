'use client';

import { Badge, type BadgeTone } from '@/components/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AppEnvironment } from './bindings';

const TONE: Record<AppEnvironment['status'], BadgeTone> = {
  created: 'neutral',
  deploying: 'info',
  running: 'success',
  failed: 'danger',
};

export function EnvironmentStatusBadge({ status }: { status: AppEnvironment['status'] }) {
  const { t } = useI18n();
  return (
    <span data-testid="environment-status" data-status={status}>
      <Badge tone={TONE[status]}>{t(`environmentStatus.${status}`)}</Badge>
    </span>
  );
}

/** The environment's service URLs, each opening in a new tab; "No URL" without any. */
export function EnvironmentUrls({ urls }: { urls: Record<string, string> }) {
  const { t } = useI18n();
  const entries = Object.entries(urls);
  if (entries.length === 0) return <span className="muted">{t('environments.noUrls')}</span>;
  return (
    <ul className="url-list">
      {entries.map(([service, url]) => (
        <li key={service}>
          <a
            href={url}
            target="_blank"
            rel="noopener noreferrer"
            className="link-break"
            data-testid="environment-url"
            data-service={service}
          >
            {url.replace(/^https?:\/\//, '')}
            <span className="visually-hidden"> {t('common.newTab')}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The quota the environment holds: services, CPU and memory. */
export function EnvironmentUsage({ usage }: { usage: AppEnvironment['usage'] }) {
  const { t, formatNumber } = useI18n();
  return (
    <span>
      {t('environments.usageValue', {
        services: formatNumber(usage.services),
        cpu: formatNumber(usage.cpuMillis),
        memory: formatNumber(usage.memoryMiB),
      })}
    </span>
  );
}

/** `2 of 3 bound`, a warning while some external name is not bound. */
export function NeedsSummary({ needs }: { needs: AppEnvironment['needs'] }) {
  const { t } = useI18n();
  if (needs.length === 0) return <span className="muted">{t('environments.noNeeds')}</span>;
  const bound = needs.filter((n) => n.bound).length;
  const text = t('environments.needsBound', { bound, total: needs.length });
  return bound === needs.length ? <span>{text}</span> : <Badge tone="warning">{text}</Badge>;
}

export function environmentPath(basePath: string, name: string): string {
  return `${basePath}/environments/${encodeURIComponent(name)}`;
}

export const PRODUCTION = 'production';
