'use client';

import { type Deployment, deploymentRoutes } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { mergeFirstPage, usePoll } from '@/lib/hooks/use-poll';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { POLL_MS } from './app-status';
import { DeploymentsTable } from './deployments-table';
import { StaleNotice } from './stale-notice';

/** The app's revisions, newest first, refreshed while the page is open; "Deploy" starts one and follows it. */
export function DeploymentsView() {
  const { t } = useI18n();
  const router = useRouter();
  const { denial } = useTenant();
  const { params, basePath } = useApp();
  const blocked = denial('apps.write');
  const load = (cursor: string | undefined, signal: AbortSignal) =>
    api(deploymentRoutes.list, { params, query: { cursor } }, { signal });
  const list = useCursorList(load, [params]);
  const stale = usePoll(
    async (signal) => {
      const page = await load(undefined, signal);
      list.mutate((items) => mergeFirstPage(items, page.items, (d) => d.id));
    },
    POLL_MS,
    !list.loading && !list.error,
  );
  const deploy = useAction(() => api(deploymentRoutes.create, { params, body: {} }));

  function follow(deployment: Deployment) {
    list.mutate((items) => [deployment, ...items.filter((item) => item.id !== deployment.id)]);
    router.push(`${basePath}/deployments/${deployment.id}`);
  }

  async function onDeploy() {
    const result = await deploy.run();
    if (result.ok) follow(result.value);
  }

  return (
    <section className="card" aria-labelledby="deployments-title">
      <div className="card-header card-header-row">
        <div>
          <h2 id="deployments-title">{t('deployments.title')}</h2>
          <p className="muted">{t('deployments.subtitle')}</p>
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={!!blocked || deploy.pending}
          aria-busy={deploy.pending}
          title={blocked ?? undefined}
          onClick={() => void onDeploy()}
        >
          {deploy.pending ? t('common.working') : t('deployments.deploy')}
        </button>
      </div>
      <ProblemAlert error={deploy.error} />
      <StaleNotice error={stale} />
      <DeploymentsTable list={list} onDeployed={follow} />
    </section>
  );
}
