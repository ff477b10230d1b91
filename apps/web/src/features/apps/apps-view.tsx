'use client';

import { appRoutes } from '@wharf/contracts';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { mergeFirstPage, usePoll } from '@/lib/hooks/use-poll';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { POLL_MS } from './app-status';
import { AppsTable } from './apps-table';
import { CreateAppLink } from './create-app-link';
import { StaleNotice } from './stale-notice';

export function AppsView() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const load = (cursor: string | undefined, signal: AbortSignal) =>
    api(appRoutes.list, { params: { tenant: tenant.slug }, query: { cursor } }, { signal });
  const list = useCursorList(load, [tenant.slug]);
  const stale = usePoll(
    async (signal) => {
      const page = await load(undefined, signal);
      list.mutate((items) => mergeFirstPage(items, page.items, (app) => app.id));
    },
    POLL_MS,
    !list.loading && !list.error,
  );

  return (
    <>
      <PageHeader
        title={t('apps.pageTitle')}
        description={t('apps.pageDescription', { team: tenant.name })}
        actions={list.items.length > 0 && <CreateAppLink />}
      />
      <section className="card" aria-labelledby="apps-title">
        <div className="card-header">
          <h2 id="apps-title">{t('apps.listTitle')}</h2>
        </div>
        <StaleNotice error={stale} />
        <AppsTable list={list} />
      </section>
    </>
  );
}
