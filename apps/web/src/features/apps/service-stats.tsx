'use client';

import { type AppStats, type ServiceStatsSeries, statsRoutes } from '@wharf/contracts';
import type { ReactNode } from 'react';
import { LineChart } from '@/components/line-chart';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { api } from '@/lib/api/client';
import { usePoll } from '@/lib/hooks/use-poll';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { StaleNotice } from './stale-notice';

/** The agents sample every 15 s: refreshing faster shows nothing new. */
export const STATS_POLL_MS = 15_000;
const MIB = 1_048_576;
/** Two samples further apart than this many steps are not joined by the line. */
const GAP_STEPS = 2.5;

const round1 = (n: number) => Math.round(n * 10) / 10;

function ServiceCharts({
  series,
  window,
  showEnvironment,
}: {
  series: ServiceStatsSeries;
  window: AppStats;
  showEnvironment: boolean;
}) {
  const { t, formatNumber, formatTime } = useI18n();
  const last = series.points.at(-1);
  if (!last) return null;
  const name = showEnvironment
    ? t('apps.stats.serviceIn', { service: series.service, environment: series.environment })
    : series.service;
  const time = formatTime(last.at);
  const cpu = (value: number) => t('apps.stats.cpuValue', { value: formatNumber(round1(value)) });
  const limitMiB = round1(last.memoryLimitBytes / MIB);
  const memory = (value: number) =>
    t('apps.stats.memoryValue', { used: formatNumber(round1(value)), limit: formatNumber(limitMiB) });
  const common = {
    from: window.since,
    to: window.until,
    gapMs: window.stepSeconds * 1000 * GAP_STEPS,
    timeHeader: t('apps.stats.time'),
    formatTime,
  };
  return (
    <li className="service-stats-item" data-service={series.service} data-environment={series.environment}>
      <div className="service-stats-heading">
        <h3>{name}</h3>
        <span className="muted">{t('apps.stats.tasks', { count: formatNumber(round1(last.tasks)) })}</span>
      </div>
      <div className="service-stats-charts">
        <div className="service-stats-chart" data-testid="stats-cpu">
          <div className="service-stats-figure">
            <span>{t('apps.stats.cpu')}</span>
            <span>{cpu(last.cpuPercent)}</span>
          </div>
          <LineChart
            {...common}
            points={series.points.map((p) => ({ at: p.at, value: p.cpuPercent }))}
            label={t('apps.stats.cpuSummary', { service: name, value: cpu(last.cpuPercent), time })}
            caption={t('apps.stats.cpuCaption', { service: name })}
            valueHeader={t('apps.stats.cpu')}
            formatValue={cpu}
          />
        </div>
        <div className="service-stats-chart" data-testid="stats-memory">
          <div className="service-stats-figure">
            <span>{t('apps.stats.memory')}</span>
            <span>{memory(last.memoryBytes / MIB)}</span>
          </div>
          <LineChart
            {...common}
            points={series.points.map((p) => ({ at: p.at, value: p.memoryBytes / MIB }))}
            max={limitMiB}
            showMax
            label={t('apps.stats.memorySummary', { service: name, value: memory(last.memoryBytes / MIB), time })}
            caption={t('apps.stats.memoryCaption', { service: name })}
            valueHeader={t('apps.stats.memory')}
            formatValue={memory}
          />
        </div>
      </div>
    </li>
  );
}

function StatsContent({ stats }: { stats: AppStats }) {
  const { t } = useI18n();
  const series = stats.services.filter((s) => s.points.length > 0);
  if (series.length === 0) {
    return (
      <EmptyState title={t('apps.stats.empty')}>
        <p className="muted">{t('apps.stats.emptyBody')}</p>
      </EmptyState>
    );
  }
  const showEnvironment = new Set(series.map((s) => s.environment)).size > 1;
  return (
    <ul className="service-stats-list">
      {series.map((s) => (
        <ServiceCharts key={`${s.environment}/${s.service}`} series={s} window={stats} showEnvironment={showEnvironment} />
      ))}
    </ul>
  );
}

/** CPU and memory of each of the app's services over the last hour, refreshed every 15 s. */
export function ServiceStats() {
  const { t } = useI18n();
  const { params } = useApp();
  const load = (signal: AbortSignal) => api(statsRoutes.app, { params }, { signal });
  const resource = useResource(load, [params]);
  const stale = usePoll(
    async (signal) => {
      const next = await load(signal);
      resource.mutate(() => next);
    },
    STATS_POLL_MS,
    !!resource.data,
  );

  let content: ReactNode;
  if (resource.data) content = <StatsContent stats={resource.data} />;
  else if (resource.error) content = <ErrorState error={resource.error} onRetry={resource.reload} />;
  else content = <Loading label={t('apps.stats.loading')} />;

  return (
    <section className="card" aria-labelledby="service-stats-title" data-testid="service-stats">
      <div className="card-header">
        <h2 id="service-stats-title">{t('apps.stats.title')}</h2>
        <p className="muted">{t('apps.stats.subtitle')}</p>
      </div>
      <StaleNotice error={stale} />
      {content}
    </section>
  );
}
