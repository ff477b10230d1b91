'use client';

import { appRoutes, type RouteOutput } from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { buildPath, sourcePath } from '@/features/builds/build-paths';
import { CreateSourceFields, SHOWN_SOURCE_FIELDS } from '@/features/builds/create-source-fields';
import { ArgsError, readCreateSource } from '@/features/builds/source-body';
import { ComposeField } from '@/features/stacks/compose-field';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { appPath, appsPath } from './app-paths';
import { ClusterSelect } from './cluster-select';
import { HealthCheckFields } from './health-check-fields';
import { NameField } from './name-field';
import {
  APP_SOURCES,
  type AppSource,
  type CreateAppInput,
  duplicateKeys,
  readCreateApp,
  readCreateComposeApp,
  readCreateSourceApp,
  type VariableRow,
} from './read-app-form';
import { ResourceFields } from './resource-fields';
import { VariablesEditor } from './variables-editor';

/** Fields that show their own errors; anything else goes to the alert at the top. */
const SHOWN_FIELDS = [
  'body.name',
  'body.image',
  'body.port',
  'body.replicas',
  'body.cpuMillis',
  'body.memoryMiB',
  'body.command',
  'body.healthcheck',
  'body.env',
  'body.secrets',
  'body.cluster',
];
/** A compose file's problems are shown at their lines in the editor. */
const SHOWN_COMPOSE_FIELDS = ['body.name', 'body.compose', 'yaml', 'body.env', 'body.secrets', 'body.cluster'];

export function CreateAppForm() {
  const { t } = useI18n();
  const router = useRouter();
  const { tenant, denial } = useTenant();
  const blocked = denial('apps.write');
  const [rows, setRows] = useState<VariableRow[]>([]);
  const [source, setSource] = useState<AppSource>('image');
  const [compose, setCompose] = useState('');
  /** The compose file as last sent: the refusal's problems are marked in it while it is unchanged. */
  const [sent, setSent] = useState<string>();
  const [composeMissing, setComposeMissing] = useState(false);
  const [argsError, setArgsError] = useState<ArgsError>();
  const create = useAction((body: CreateAppInput) => api(appRoutes.create, { params: { tenant: tenant.slug }, body }));
  const error = create.error;
  const isCompose = source === 'compose';
  const isGit = source === 'git';

  /** The body of the form; a build args list that does not read is shown at its field instead. */
  function readBody(data: FormData): CreateAppInput | undefined {
    setArgsError(undefined);
    if (isCompose) return readCreateComposeApp(data, rows, compose);
    if (!isGit) return readCreateApp(data, rows);
    try {
      return readCreateSourceApp(data, rows, readCreateSource(data));
    } catch (error) {
      if (!(error instanceof ArgsError)) throw error;
      setArgsError(error);
      return undefined;
    }
  }

  /** Where a created app is followed: its first build, its source (to add the deploy key), or its page. */
  function nextPath(created: RouteOutput<typeof appRoutes.create>, body: CreateAppInput): string {
    const base = appPath(tenant.slug, created.app);
    if (created.build) return buildPath(base, created.build.id);
    return body.source?.auth?.kind === 'ssh' ? sourcePath(base) : base;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (duplicateKeys(rows).size > 0) return;
    const formElement = event.currentTarget;
    if (isCompose && compose.trim() === '') {
      setComposeMissing(true);
      return;
    }
    const data = new FormData(formElement);
    if (isCompose) setSent(compose);
    const body = readBody(data);
    if (!body) return;
    const result = await create.run(body);
    if (result.ok) {
      router.push(nextPath(result.value, body));
      return;
    }
    // The problem is shown by the button; take the user to the first field it names.
    requestAnimationFrame(() => formElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  return (
    <form className="stack-form" onSubmit={onSubmit} aria-label={t('apps.create.title')} data-testid="create-app-form">
      {blocked && <p className="alert alert-warning">{blocked}</p>}
      <fieldset className="card" disabled={!!blocked}>
        <legend className="card-legend">{t('apps.create.sourceSection')}</legend>
        <div className="choice-group" data-testid="app-source">
          {APP_SOURCES.map((choice) => (
            <label key={choice} className={source === choice ? 'choice active' : 'choice'}>
              <input
                type="radio"
                name="source"
                value={choice}
                checked={source === choice}
                onChange={() => {
                  create.reset();
                  setArgsError(undefined);
                  setSource(choice);
                }}
              />
              <span className="choice-text">
                <span className="choice-title">{t(`apps.create.source.${choice}`)}</span>
                <span className="field-hint">{t(`apps.create.source.${choice}Hint`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {isGit ? (
        <CreateSourceFields error={error} argsError={argsError} blocked={!!blocked} />
      ) : isCompose ? (
        <fieldset className="card" disabled={!!blocked}>
          <legend className="card-legend">{t('apps.create.imageSection')}</legend>
          <div className="form-grid">
            <NameField error={error} />
            <ClusterSelect error={error} />
          </div>
          <ComposeField
            value={compose}
            onChange={(text) => {
              setComposeMissing(false);
              setCompose(text);
            }}
            error={error}
            sent={sent}
            missing={composeMissing}
          />
        </fieldset>
      ) : (
        <>
          <fieldset className="card" disabled={!!blocked}>
            <legend className="card-legend">{t('apps.create.imageSection')}</legend>
            <div className="form-grid">
              <NameField error={error} />
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
                    placeholder="nginx:1.27"
                  />
                )}
              </Field>
              <Field label={t('apps.create.port')} hint={t('apps.create.portHint')} errors={error?.fieldMessages('body.port')}>
                {(control) => (
                  <input {...control} className="input input-narrow" name="port" type="number" min={1} max={65535} step={1} />
                )}
              </Field>
              <ClusterSelect error={error} />
            </div>
          </fieldset>
          <fieldset className="card" disabled={!!blocked}>
            <legend className="card-legend">{t('apps.create.resourcesSection')}</legend>
            <ResourceFields error={error} />
          </fieldset>
          <fieldset className="card" disabled={!!blocked}>
            <legend className="card-legend">{t('apps.create.runSection')}</legend>
            <Field
              label={t('apps.create.command')}
              hint={t('apps.create.commandHint')}
              errors={error?.fieldMessages('body.command')}
            >
              {(control) => (
                <textarea
                  {...control}
                  className="input input-mono"
                  name="command"
                  rows={3}
                  spellCheck={false}
                  placeholder={'node\nserver.js\n--port=8080'}
                />
              )}
            </Field>
            <HealthCheckFields error={error} />
          </fieldset>
        </>
      )}
      <fieldset className="card" disabled={!!blocked}>
        <legend className="card-legend">{t('apps.create.variablesSection')}</legend>
        <VariablesEditor rows={rows} onChange={setRows} error={error} />
      </fieldset>
      <ProblemAlert error={error} shownFields={isGit ? SHOWN_SOURCE_FIELDS : isCompose ? SHOWN_COMPOSE_FIELDS : SHOWN_FIELDS} />
      <div className="form-actions form-actions-wrap">
        <label className="checkbox">
          <input type="checkbox" name="deploy" defaultChecked disabled={!!blocked} />
          {t('apps.create.deployNow')}
        </label>
        <span className="spacer" />
        <Link href={appsPath(tenant.slug)} className="button button-secondary">
          {t('common.cancel')}
        </Link>
        <button
          type="submit"
          className="button button-primary"
          disabled={!!blocked || create.pending}
          aria-busy={create.pending}
          title={blocked ?? undefined}
        >
          {create.pending ? t('apps.create.pending') : t('apps.create.submit')}
        </button>
      </div>
    </form>
  );
}
