'use client';

import { type App, appRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { ApiError } from '@/lib/api/problem';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { HealthCheckFields } from './health-check-fields';
import { currentHealthcheck, readAppSettings, type UpdateAppInput } from './read-app-settings';
import { ResourceFields } from './resource-fields';

const SHOWN = [
  'body.displayName',
  'body.image',
  'body.port',
  'body.cpuMillis',
  'body.memoryMiB',
  'body.command',
  'body.healthcheck',
];

/** The image (image apps only), port, resources, command and health check of an app that is not a compose stack. */
function RunSettings({ app, error }: { app: App; error: ApiError | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <div className="form-grid">
        {app.kind === 'image' && (
          <Field label={t('apps.create.image')} hint={t('apps.create.imageHint')} errors={error?.fieldMessages('body.image')}>
            {(control) => (
              <input
                {...control}
                className="input input-mono"
                name="image"
                required
                maxLength={512}
                autoComplete="off"
                spellCheck={false}
                defaultValue={app.image ?? ''}
              />
            )}
          </Field>
        )}
        <Field label={t('apps.create.port')} hint={t('appSettings.portHint')} errors={error?.fieldMessages('body.port')}>
          {(control) => (
            <input
              {...control}
              className="input input-narrow"
              name="port"
              type="number"
              min={1}
              max={65535}
              step={1}
              defaultValue={app.port ?? ''}
            />
          )}
        </Field>
      </div>
      <ResourceFields error={error} values={{ cpuMillis: app.cpuMillis, memoryMiB: app.memoryMiB }} />
      <Field label={t('apps.create.command')} hint={t('apps.create.commandHint')} errors={error?.fieldMessages('body.command')}>
        {(control) => (
          <textarea
            {...control}
            className="input input-mono"
            name="command"
            rows={3}
            spellCheck={false}
            defaultValue={app.command?.join('\n') ?? ''}
          />
        )}
      </Field>
      <HealthCheckFields error={error} initial={currentHealthcheck(app)} />
    </>
  );
}

/**
 * An app's settings (`PATCH …/apps/{app}`): its display name and, but for a compose stack (whose settings are in its
 * file), its image, port, resources, command and health check. Only what changed is sent; it applies with the next
 * deployment. Replicas are scaled above, in the app's header.
 */
export function AppSettingsView() {
  const { t } = useI18n();
  const { denial } = useTenant();
  const { app, params, setApp, basePath } = useApp();
  const blocked = denial('apps.write');
  const [outcome, setOutcome] = useState<'saved' | 'unchanged'>();
  // a saved form is mounted again from the app it answered, so its fields start from what is stored
  const [revision, setRevision] = useState(0);
  const save = useAction((body: NonNullable<UpdateAppInput>) => api(appRoutes.update, { params, body }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setOutcome(undefined);
    const formElement = event.currentTarget;
    const body = readAppSettings(new FormData(formElement), app);
    if (!body) {
      save.reset();
      setOutcome('unchanged');
      return;
    }
    const result = await save.run(body);
    if (result.ok) {
      setApp(result.value);
      setRevision((n) => n + 1);
      setOutcome('saved');
      return;
    }
    requestAnimationFrame(() => formElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  const error = save.error;
  return (
    <form
      key={revision}
      className="card"
      onSubmit={onSubmit}
      aria-labelledby="app-settings-title"
      data-testid="app-settings-form"
    >
      <div className="card-header">
        <h2 id="app-settings-title">{t('appSettings.title')}</h2>
        <p className="muted">{t('appSettings.hint')}</p>
      </div>
      {blocked && <p className="alert alert-warning">{blocked}</p>}
      <fieldset className="fieldset" disabled={!!blocked}>
        <Field label={t('appSettings.displayName')} errors={error?.fieldMessages('body.displayName')}>
          {(control) => (
            <input {...control} className="input" name="displayName" required maxLength={100} defaultValue={app.displayName} />
          )}
        </Field>
        {app.kind === 'compose' ? (
          <p className="field-hint" data-testid="compose-settings-hint">
            {t('appSettings.composeHint')} <Link href={`${basePath}/stack`}>{t('app.tab.stack')}</Link>
          </p>
        ) : (
          <RunSettings app={app} error={error} />
        )}
      </fieldset>
      <ProblemAlert error={error} shownFields={SHOWN} />
      {outcome && (
        <p className={outcome === 'saved' ? 'alert alert-success' : 'alert'} role="status" data-testid="app-settings-outcome">
          {t(outcome === 'saved' ? 'appSettings.saved' : 'appSettings.unchanged')}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={!!blocked || save.pending}
          aria-busy={save.pending}
          title={blocked ?? undefined}
        >
          {save.pending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
