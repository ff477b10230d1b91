'use client';

import { type Build, buildRoutes } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useApp } from '@/features/apps/app-provider';
import { POLL_MS } from '@/features/apps/app-status';
import { StaleNotice } from '@/features/apps/stale-notice';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { mergeFirstPage, usePoll } from '@/lib/hooks/use-poll';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { BuildNowDialog } from './build-now-dialog';
import { buildPath } from './build-paths';
import { BuildsTable } from './builds-table';
import { UploadDialog } from './upload-dialog';
import { useSource } from './use-source';

/**
 * The app's builds, newest first, refreshed while open; "Build now" builds the repository, "Upload source" an
 * archive (an app built from source only: a stack builds from its repository), each then following its log.
 */
export function BuildsView() {
  const { t } = useI18n();
  const router = useRouter();
  const { denial } = useTenant();
  const { app, params, basePath } = useApp();
  const source = useSource();
  const [starting, setStarting] = useState<'git' | 'upload' | null>(null);
  const denied = denial('apps.write');
  const blocked = denied ?? (source.uploadOnly ? t('builds.uploadOnly') : null);
  const load = (cursor: string | undefined, signal: AbortSignal) =>
    api(buildRoutes.list, { params, query: { cursor } }, { signal });
  const list = useCursorList(load, [params]);
  const stale = usePoll(
    async (signal) => {
      const page = await load(undefined, signal);
      list.mutate((items) => mergeFirstPage(items, page.items, (b) => b.id));
    },
    POLL_MS,
    !list.loading && !list.error,
  );

  function onStarted(build: Build) {
    setStarting(null);
    list.mutate((items) => [build, ...items.filter((item) => item.id !== build.id)]);
    router.push(buildPath(basePath, build.id));
  }

  return (
    <section className="card" aria-labelledby="builds-title" data-testid="builds-view">
      <div className="card-header card-header-row">
        <div>
          <h2 id="builds-title">{t('builds.title')}</h2>
          <p className="muted">{source.uploadOnly ? t('builds.uploadOnly') : t('builds.subtitle')}</p>
        </div>
        <div className="row-actions">
          {app.kind === 'source' && (
            <button
              type="button"
              className="button"
              disabled={!!denied}
              title={denied ?? undefined}
              onClick={() => setStarting('upload')}
            >
              {t('builds.uploadSource')}
            </button>
          )}
          <button
            type="button"
            className="button button-primary"
            disabled={!!blocked || !source.data}
            title={blocked ?? undefined}
            onClick={() => setStarting('git')}
          >
            {t('builds.buildNow')}
          </button>
        </div>
      </div>
      <StaleNotice error={stale} />
      <BuildsTable list={list} />
      <BuildNowDialog
        open={starting === 'git'}
        defaultBranch={source.data?.tracking.production ?? 'main'}
        onClose={() => setStarting(null)}
        onStarted={onStarted}
      />
      <UploadDialog open={starting === 'upload'} onClose={() => setStarting(null)} onStarted={onStarted} />
    </section>
  );
}
