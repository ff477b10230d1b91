'use client';

import { appRoutes } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { appsPath } from './app-paths';
import { useApp } from './app-provider';

/** Scale, stop or start the app, or delete it after typing its name. */
export function ReplicasControl() {
  const { t } = useI18n();
  const router = useRouter();
  const { tenant, denial } = useTenant();
  const { app, params, setApp } = useApp();
  const inputId = useId();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const blocked = denial('apps.write') ?? (app.status === 'deleting' ? t('app.beingDeleted') : null);

  const scale = useAction((replicas: number) => api(appRoutes.scale, { params, body: { replicas } }));
  const power = useAction((to: 'stop' | 'start') => api(to === 'stop' ? appRoutes.stop : appRoutes.start, { params }));
  const remove = useAction(() => api(appRoutes.remove, { params }));

  async function onScale(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    power.reset();
    const replicas = Number(new FormData(event.currentTarget).get('replicas'));
    const result = await scale.run(replicas);
    if (result.ok) setApp(result.value);
  }

  async function onPower(to: 'stop' | 'start') {
    scale.reset();
    const result = await power.run(to);
    if (result.ok) setApp(result.value);
  }

  async function onDelete() {
    const result = await remove.run();
    if (result.ok) router.push(appsPath(tenant.slug));
  }

  return (
    <section className="card" aria-labelledby="replicas-title" data-testid="replicas-control">
      <h2 id="replicas-title" className="visually-hidden">
        {t('app.controls')}
      </h2>
      <div className="toolbar">
        {/* A compose app's replicas are in its compose file (deploy.replicas). */}
        {app.kind !== 'compose' ? (
          <form className="toolbar-group" onSubmit={onScale} key={app.replicas} aria-label={t('app.scale')}>
            <label htmlFor={inputId} className="field-label">
              {t('apps.col.replicas')}
            </label>
            <input
              id={inputId}
              className="input input-narrow"
              name="replicas"
              type="number"
              min={0}
              max={100}
              step={1}
              required
              defaultValue={app.replicas}
              disabled={!!blocked}
              data-testid="replicas-input"
            />
            <button
              type="submit"
              className="button button-secondary"
              disabled={!!blocked || scale.pending}
              aria-busy={scale.pending}
              title={blocked ?? undefined}
            >
              {scale.pending ? t('common.working') : t('app.scale')}
            </button>
          </form>
        ) : (
          <p className="muted">{t('app.composeReplicas')}</p>
        )}
        <div className="toolbar-group">
          {app.stopped ? (
            <button
              type="button"
              className="button button-secondary"
              disabled={!!blocked || power.pending}
              aria-busy={power.pending}
              title={blocked ?? undefined}
              onClick={() => void onPower('start')}
            >
              {t('app.start')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-secondary"
              disabled={!!blocked || power.pending}
              aria-busy={power.pending}
              title={blocked ?? undefined}
              onClick={() => void onPower('stop')}
            >
              {t('app.stop')}
            </button>
          )}
          <button
            type="button"
            className="button button-danger-ghost"
            disabled={!!blocked}
            title={blocked ?? undefined}
            onClick={() => setConfirmDelete(true)}
          >
            {t('app.delete')}
          </button>
        </div>
      </div>
      <ProblemAlert error={scale.error ?? power.error} />
      <ConfirmDialog
        open={confirmDelete}
        title={t('app.delete.title', { name: app.name })}
        message={t('app.delete.message', { name: app.name })}
        confirmLabel={t('app.delete.confirm')}
        requireText={app.name}
        pending={remove.pending}
        error={remove.error}
        onConfirm={() => void onDelete()}
        onCancel={() => {
          remove.reset();
          setConfirmDelete(false);
        }}
        testId="delete-app-dialog"
      />
    </section>
  );
}
