'use client';

import { gitConnectionRoutes, sourceRoutes } from '@wharf/contracts';
import { type FormEvent, useState } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { useApp } from '@/features/apps/app-provider';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { BuildSettingsFields } from './build-settings-fields';
import { ACCESS_KINDS, type AccessKind, type AppSource, ArgsError, readSourceForm, type SourceInput } from './source-body';

const SHOWN = ['body.repository', 'body.auth', 'body.region', 'body.settings', 'body.secretBuildArgs', 'body.tracking'];

export interface SourceFormProps {
  source: AppSource;
  onSaved: (source: AppSource) => void;
}

/** Everything `PUT …/source` sets: repository and access, tracked branches, build settings; for the next build. */
export function SourceForm({ source, onSaved }: SourceFormProps) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const { app, params } = useApp();
  const blocked = denial('apps.write');
  const [access, setAccess] = useState<AccessKind>(source.auth);
  const [argsError, setArgsError] = useState<ArgsError>();
  const [saved, setSaved] = useState(false);
  const connections = useResource(
    (signal) => api(gitConnectionRoutes.list, { params: { tenant: tenant.slug } }, { signal }),
    [tenant.slug],
  );
  const save = useAction((body: SourceInput) => api(sourceRoutes.set, { params, body }));
  const environments = app.environments.map((e) => e.name);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    setArgsError(undefined);
    let body: SourceInput;
    try {
      body = readSourceForm(new FormData(event.currentTarget), environments);
    } catch (error) {
      if (!(error instanceof ArgsError)) throw error;
      setArgsError(error);
      return;
    }
    const result = await save.run(body);
    if (!result.ok) return;
    setSaved(true);
    onSaved(result.value);
  }

  const error = save.error;
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="source-settings-title" data-testid="source-form">
      <div className="card-header">
        <h2 id="source-settings-title">{t('source.settingsTitle')}</h2>
        <p className="muted">{t('source.settingsHint')}</p>
      </div>
      {blocked && <p className="alert alert-warning">{blocked}</p>}
      <fieldset className="fieldset" disabled={!!blocked}>
        <div className="form-grid">
          <Field label={t('git.repository')} hint={t('git.repositoryHint')} errors={error?.fieldMessages('body.repository')}>
            {(control) => (
              <input
                {...control}
                className="input input-mono"
                name="repository"
                required
                defaultValue={source.repository}
                maxLength={2048}
                spellCheck={false}
              />
            )}
          </Field>
          <Field label={t('git.access')} errors={error?.fieldMessages('body.auth')}>
            {(control) => (
              <select
                {...control}
                className="select"
                name="access"
                value={access}
                onChange={(event) => setAccess(event.target.value as AccessKind)}
              >
                {ACCESS_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`access.${kind}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {access === 'token' && (
            <Field
              label={source.auth === 'token' ? t('git.tokenAgain') : t('git.token')}
              hint={t('git.tokenHint')}
              errors={error?.fieldMessages('body.auth.token')}
            >
              {(control) => <input {...control} className="input" name="token" type="password" required autoComplete="off" />}
            </Field>
          )}
          {access === 'connection' && (
            <Field label={t('git.connection')} errors={error?.fieldMessages('body.auth.connectionId')}>
              {(control) => (
                <select {...control} className="select" name="connectionId" defaultValue={source.connectionId ?? ''} required>
                  {(connections.data?.items ?? []).map((c) => (
                    <option key={c.id} value={c.id}>
                      {`${t(`gitProvider.${c.provider}`)} · ${c.account}`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </div>
        {access === 'ssh' && <p className="field-hint">{t('git.sshHint')}</p>}
        <fieldset className="fieldset">
          <legend className="field-label">{t('source.tracking')}</legend>
          <p className="field-hint">{t('source.trackingHint')}</p>
          <div className="tracking-grid">
            {environments.map((name) => (
              <Field key={name} label={name} errors={error?.fieldMessages(`body.tracking.${name}`)}>
                {(control) => (
                  <input
                    {...control}
                    className="input input-mono"
                    name={`track.${name}`}
                    defaultValue={source.tracking[name] ?? ''}
                    maxLength={255}
                    spellCheck={false}
                    data-testid="tracking-branch"
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>
        <BuildSettingsFields prefix="body" error={error} argsError={argsError} source={source} />
      </fieldset>
      <ProblemAlert error={error} shownFields={SHOWN} />
      {saved && (
        <p className="alert alert-success" role="status" data-testid="source-saved">
          {t('source.saved')}
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
