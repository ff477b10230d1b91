'use client';

import { adminRoutes, type HostSweep, type SweptRegion } from '@wharf/contracts';
import { Badge } from '@/components/badge';
import { type Column, DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Where a region's machines run: the worker's local provider, or a cloud account's provider and region. */
function useRegionLabel(): (region: SweptRegion) => string {
  const { t } = useI18n();
  return (region) => (region.provider === 'local' ? t('hostSweeps.local') : `${region.provider} · ${region.region}`);
}

function WhenCell({ sweep }: { sweep: HostSweep }) {
  const { t, formatDateTime, formatDuration } = useI18n();
  const seconds = Math.max(0, (Date.parse(sweep.finishedAt) - Date.parse(sweep.startedAt)) / 1000);
  return (
    <>
      <span className="cell-primary nowrap">{formatDateTime(sweep.startedAt)}</span>
      <span className="cell-secondary">{t('hostSweeps.took', { duration: formatDuration(Math.round(seconds)) })}</span>
    </>
  );
}

function RegionsCell({ sweep }: { sweep: HostSweep }) {
  const { t, formatNumber, formatList } = useI18n();
  const regionLabel = useRegionLabel();
  const labels = [...new Set(sweep.regions.map(regionLabel))];
  return (
    <>
      <span data-testid="sweep-regions">{t('hostSweeps.regionsSwept', { count: formatNumber(sweep.regionsSwept) })}</span>
      {labels.length > 0 && <span className="cell-secondary">{formatList(labels)}</span>}
    </>
  );
}

function TerminatedCell({ sweep }: { sweep: HostSweep }) {
  const { t, formatNumber } = useI18n();
  const regionLabel = useRegionLabel();
  const deleted = sweep.regions.flatMap((region) => region.deleted.map((machine) => ({ region, machine })));
  return (
    <>
      <span data-testid="sweep-terminated">
        {t('hostSweeps.terminatedOf', {
          deleted: formatNumber(sweep.machinesDeleted),
          seen: formatNumber(sweep.machinesSeen),
        })}
      </span>
      {deleted.length > 0 && (
        <ul className="cell-secondary">
          {deleted.map(({ region, machine }) => (
            <li key={`${region.cloudAccountId ?? 'local'}:${region.region}:${machine.machineId}`}>
              <code>{machine.machineId}</code> {t(`sweepReason.${machine.reason}`)} ({regionLabel(region)})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ErrorsCell({ sweep }: { sweep: HostSweep }) {
  const { t, formatNumber } = useI18n();
  const regionLabel = useRegionLabel();
  const errors = sweep.regions.flatMap((region) => region.errors.map((error) => ({ region, error })));
  if (sweep.errors === 0) return <span data-testid="sweep-errors">{t('adminOps.none')}</span>;
  return (
    <>
      <span data-testid="sweep-errors">
        <Badge tone="danger">{t('hostSweeps.errorCount', { count: formatNumber(sweep.errors) })}</Badge>
      </span>
      <ul className="cell-secondary">
        {errors.map(({ region, error }, index) => (
          // errors carry no id of their own: their place in the sweep's report is stable
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index} lang="en">
            {regionLabel(region)}: {error}
          </li>
        ))}
      </ul>
    </>
  );
}

const COLUMNS: Column<HostSweep>[] = [
  { id: 'when', header: 'hostSweeps.col.when', cell: (s) => <WhenCell sweep={s} /> },
  { id: 'regions', header: 'hostSweeps.col.regions', cell: (s) => <RegionsCell sweep={s} /> },
  { id: 'terminated', header: 'hostSweeps.col.terminated', cell: (s) => <TerminatedCell sweep={s} /> },
  { id: 'errors', header: 'hostSweeps.col.errors', cell: (s) => <ErrorsCell sweep={s} /> },
];

/** The leak sweep's runs, newest first: the accounts and regions it listed, the machines it terminated and why. */
export function HostSweepsView() {
  const { t } = useI18n();
  const list = useCursorList((cursor, signal) => api(adminRoutes.listHostSweeps, { query: { cursor } }, { signal }), []);
  return (
    <>
      <PageHeader title={t('hostSweeps.title')} description={t('hostSweeps.description')} />
      <section className="card" aria-labelledby="host-sweeps-title" data-testid="admin-host-sweeps">
        <div className="card-header">
          <h2 id="host-sweeps-title">{t('hostSweeps.listTitle')}</h2>
        </div>
        <DataTable
          list={list}
          columns={COLUMNS}
          rowKey={(sweep) => sweep.id}
          testId="host-sweeps-table"
          rowTestId="host-sweep-row"
          emptyTitle={t('hostSweeps.empty')}
        />
      </section>
    </>
  );
}
