'use client';

import { useState } from 'react';
import { Field } from '@/components/field';
import { ClusterSelect } from '@/features/apps/cluster-select';
import { NameField } from '@/features/apps/name-field';
import { ResourceFields } from '@/features/apps/resource-fields';
import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { BuildSettingsFields } from './build-settings-fields';
import { ConnectionPicker } from './connection-picker';
import type { AccessKind, ArgsError } from './source-body';

type GitMode = 'url' | 'connection';
const GIT_MODES: readonly GitMode[] = ['url', 'connection'];
const URL_ACCESS: readonly AccessKind[] = ['none', 'token', 'ssh'];
const PREFIX = 'body.source';

/** Where the source fields report their errors: the alert at the top leaves these out. */
export const SHOWN_SOURCE_FIELDS = [
  'body.name',
  'body.source.repository',
  'body.source.auth',
  'body.source.region',
  'body.source.tracking',
  'body.source.settings.dockerfilePath',
  'body.source.settings.context',
  'body.source.settings.target',
  'body.source.settings.buildArgs',
  'body.source.settings.timeoutMinutes',
  'body.source.secretBuildArgs',
  'body.port',
  'body.replicas',
  'body.cpuMillis',
  'body.memoryMiB',
  'body.cluster',
  'body.env',
  'body.secrets',
];

export interface CreateSourceFieldsProps {
  error: ApiError | undefined;
  argsError: ArgsError | undefined;
  blocked: boolean;
}

/** The create form for an app built from a git repository: where the code is, how to build it, what it may use. */
export function CreateSourceFields({ error, argsError, blocked }: CreateSourceFieldsProps) {
  const { t } = useI18n();
  const [mode, setMode] = useState<GitMode>('url');
  return (
    <>
      <fieldset className="card" disabled={blocked}>
        <legend className="card-legend">{t('apps.create.repositorySection')}</legend>
        <div className="form-grid">
          <NameField error={error} />
          <ClusterSelect error={error} />
        </div>
        <fieldset className="fieldset">
          <legend className="field-label">{t('apps.create.gitMode')}</legend>
          <div className="segmented" data-testid="git-mode">
            {GIT_MODES.map((choice) => (
              <button
                key={choice}
                type="button"
                className={mode === choice ? 'segment active' : 'segment'}
                aria-pressed={mode === choice}
                onClick={() => setMode(choice)}
              >
                {t(`apps.create.gitMode.${choice}`)}
              </button>
            ))}
          </div>
        </fieldset>
        {mode === 'url' ? <UrlFields error={error} /> : <ConnectionPicker error={error} prefix={PREFIX} />}
      </fieldset>
      <fieldset className="card" disabled={blocked}>
        <legend className="card-legend">{t('apps.create.buildSection')}</legend>
        <BuildSettingsFields prefix={PREFIX} error={error} argsError={argsError} />
      </fieldset>
      <fieldset className="card" disabled={blocked}>
        <legend className="card-legend">{t('apps.create.resourcesSection')}</legend>
        <Field
          label={t('apps.create.sourcePort')}
          hint={t('apps.create.sourcePortHint')}
          errors={error?.fieldMessages('body.port')}
        >
          {(control) => (
            <input
              {...control}
              className="input input-narrow"
              name="port"
              type="number"
              min={1}
              max={65535}
              step={1}
              defaultValue={8080}
            />
          )}
        </Field>
        <ResourceFields error={error} />
      </fieldset>
    </>
  );
}

/** A pasted repository URL, how Wharf reaches it (public, a token, or a deploy key it generates) and the branch. */
function UrlFields({ error }: { error: ApiError | undefined }) {
  const { t } = useI18n();
  const [access, setAccess] = useState<AccessKind>('none');
  return (
    <>
      <div className="form-grid">
        <Field label={t('git.repository')} hint={t('git.repositoryHint')} errors={error?.fieldMessages(`${PREFIX}.repository`)}>
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="repository"
              required
              maxLength={2048}
              autoComplete="off"
              spellCheck={false}
              placeholder="https://github.com/owner/repo.git"
            />
          )}
        </Field>
        <Field label={t('git.branch')} hint={t('git.branchHint')} errors={error?.fieldMessages(`${PREFIX}.tracking`)}>
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="branch"
              maxLength={255}
              autoComplete="off"
              spellCheck={false}
              placeholder="main"
            />
          )}
        </Field>
      </div>
      <fieldset className="fieldset" data-testid="git-access">
        <legend className="field-label">{t('git.access')}</legend>
        <div className="choice-group">
          {URL_ACCESS.map((kind) => (
            <label key={kind} className={access === kind ? 'choice active' : 'choice'}>
              <input type="radio" name="access" value={kind} checked={access === kind} onChange={() => setAccess(kind)} />
              <span className="choice-text">
                <span className="choice-title">{t(`access.${kind}`)}</span>
              </span>
            </label>
          ))}
        </div>
        {error?.fieldMessages(`${PREFIX}.auth`).length ? (
          <p className="field-error" data-testid="field-error">
            {error.fieldMessages(`${PREFIX}.auth`).join(' ')}
          </p>
        ) : null}
      </fieldset>
      {access === 'token' && (
        <Field label={t('git.token')} hint={t('git.tokenHint')} errors={error?.fieldMessages(`${PREFIX}.auth.token`)}>
          {(control) => <input {...control} className="input" name="token" type="password" required autoComplete="off" />}
        </Field>
      )}
      {access === 'ssh' && <p className="alert alert-warning">{t('apps.create.sshNotice')}</p>}
    </>
  );
}
