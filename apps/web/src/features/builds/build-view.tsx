'use client';

import { buildRoutes, type Deployment } from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState } from 'react';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { ErrorState, Loading } from '@/components/states';
import { useApp } from '@/features/apps/app-provider';
import { StaleNotice } from '@/features/apps/stale-notice';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { usePoll } from '@/lib/hooks/use-poll';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { BuildFacts } from './build-facts';
import { isFinalBuild } from './build-format';
import { BuildLogPanel } from './build-log-panel';
import { buildsPath } from './build-paths';
import { BuildPlan } from './build-plan';
import { BuildStatusBadge } from './build-status';
import { RedeployDialog } from './redeploy-dialog';
import { useBuildLog } from './use-build-log';
import { useSource } from './use-source';

/** How often an unfinished build is read again (its status, duration and plan). */
const BUILD_POLL_MS = 2_000;

/** One build: its facts, its log streamed live until it ends, its Dockerfile; cancel it, or redeploy its image. */
export function BuildView({ buildId }: { buildId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const { denial } = useTenant();
  const { params: appParams, basePath } = useApp();
  const params = useMemo(() => ({ ...appParams, build: buildId }), [appParams, buildId]);
  const resource = useResource((signal) => api(buildRoutes.get, { params }, { signal }), [params]);
  const source = useSource();
  const [redeploying, setRedeploying] = useState(false);
  const build = resource.data;
  const finalRef = useRef(false);
  finalRef.current = !!build && isFinalBuild(build.status);

  const refresh = async (signal?: AbortSignal) => {
    const fresh = await api(buildRoutes.get, { params }, { signal });
    resource.mutate(() => fresh);
  };
  const live = useBuildLog({
    params,
    expectMore: () => !finalRef.current,
    onEnd: () => void refresh().catch(() => undefined),
  });
  const stale = usePoll(refresh, BUILD_POLL_MS, !!build && !isFinalBuild(build.status));
  const cancel = useConfirmAction(
    () => api(buildRoutes.cancel, { params }),
    (_target, updated) => resource.mutate(() => updated),
  );

  if (resource.error && !build) return <ErrorState error={resource.error} onRetry={resource.reload} />;
  if (!build) return <Loading />;
  const blocked = denial('apps.write');
  // The stream is ahead of the last fetch: a log line means the builder has the build, `end` that it is over.
  const logged = live.log.lines.length > 0 || live.log.partial !== '' || live.log.dropped > 0;
  const status = isFinalBuild(build.status)
    ? build.status
    : (live.ended ?? (build.status === 'queued' && logged ? 'running' : build.status));
  const final = isFinalBuild(status);

  function onDeployed(deployment: Deployment) {
    setRedeploying(false);
    router.push(`${basePath}/deployments/${deployment.id}`);
  }

  return (
    <section className="card" aria-labelledby="build-title" data-testid="build-view">
      <div className="card-header card-header-row">
        <div className="heading-with-badge">
          <Link href={buildsPath(basePath)} className="muted">
            {t('builds.back')}
          </Link>
          <h2 id="build-title">{t('builds.heading', { number: build.number })}</h2>
          <BuildStatusBadge status={status} />
        </div>
        <span className="row-actions">
          {!final && (
            <button
              type="button"
              className="button button-danger-ghost"
              disabled={!!blocked || build.cancelRequested}
              title={blocked ?? undefined}
              onClick={() => cancel.ask(build)}
            >
              {build.cancelRequested ? t('builds.cancelling') : t('builds.cancel')}
            </button>
          )}
          {build.status === 'succeeded' && build.image && (
            <button
              type="button"
              className="button button-primary"
              disabled={!!blocked}
              title={blocked ?? undefined}
              onClick={() => setRedeploying(true)}
            >
              {t('builds.redeploy')}
            </button>
          )}
        </span>
      </div>
      <StaleNotice error={final ? undefined : stale} />
      <BuildFacts build={build} />
      <BuildLogPanel log={live.log} stream={live.stream} ended={live.ended !== undefined} />
      <BuildPlan build={build} source={source.data} onSourceSaved={(next) => source.mutate(() => next)} />
      <RedeployDialog build={redeploying ? build : undefined} onClose={() => setRedeploying(false)} onDeployed={onDeployed} />
      <ConfirmDialog
        {...cancel.dialog}
        title={t('builds.cancel.title')}
        message={t('builds.cancel.message', { number: build.number })}
        confirmLabel={t('builds.cancel.confirm')}
      />
    </section>
  );
}
