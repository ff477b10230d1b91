'use client';

import { appRoutes, environmentRoutes } from '@wharf/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { useApp } from '@/features/apps/app-provider';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import {
  type AppEnvironment,
  BINDING_KINDS,
  type BindingDraft,
  type BindingField,
  draftOf,
  type ReadBinding,
  readBinding,
  type SentBinding,
} from './bindings';
import { SelectControl, TextControl } from './form-controls';

export interface BindingsEditorProps {
  environment: AppEnvironment;
  onSaved: (environment: AppEnvironment) => void;
}

type Drafts = Record<string, BindingDraft>;

function draftsOf(environment: AppEnvironment): Drafts {
  return Object.fromEntries(environment.needs.map((need) => [need.name, draftOf(environment.bindings[need.name])]));
}

/**
 * What each external name the stack needs is bound to in this environment: a host and port, a URL, or a service of
 * another app of the team. Saved together; used by the next deployment.
 */
export function BindingsEditor({ environment, onSaved }: BindingsEditorProps) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const { params } = useApp();
  const blocked = denial('apps.write');
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(environment));
  const [problems, setProblems] = useState<Record<string, ReadBinding>>({});
  const [saved, setSaved] = useState(false);
  const apps = useResource((signal) => api(appRoutes.list, { params: { tenant: tenant.slug } }, { signal }), [tenant.slug]);
  const save = useAction((bindings: Record<string, SentBinding>) =>
    api(environmentRoutes.setBindings, { params: { ...params, environment: environment.name }, body: { bindings } }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const read = Object.fromEntries(Object.entries(drafts).map(([name, draft]) => [name, readBinding(draft)]));
    const failed = Object.fromEntries(Object.entries(read).filter(([, r]) => !r.ok));
    setProblems(failed);
    if (Object.keys(failed).length > 0) return;
    // Names bound before the stack stopped needing them are kept as they are.
    const bindings: Record<string, SentBinding> = Object.fromEntries(
      Object.entries(environment.bindings).filter(([name]) => !(name in drafts)),
    );
    for (const [name, r] of Object.entries(read)) if (r.ok && r.binding) bindings[name] = r.binding;
    const result = await save.run(bindings);
    if (!result.ok) return;
    setDrafts(draftsOf(result.value));
    setSaved(true);
    onSaved(result.value);
  }

  if (environment.needs.length === 0) return <p className="muted">{t('environments.bindings.none')}</p>;
  const appNames = (apps.data?.items ?? []).map((a) => a.name).filter((name) => name !== params.app);

  return (
    <form className="stack" onSubmit={onSubmit} aria-label={t('environments.bindings.title')} data-testid="bindings-editor">
      {environment.needs.map((need) => (
        <BindingFields
          key={need.name}
          name={need.name}
          services={need.services}
          bound={need.bound}
          draft={drafts[need.name] ?? draftOf(undefined)}
          problem={problems[need.name]}
          appNames={appNames}
          disabled={!!blocked}
          onChange={(draft) => {
            setSaved(false);
            setDrafts((current) => ({ ...current, [need.name]: draft }));
          }}
        />
      ))}
      <ProblemAlert error={save.error} />
      {saved && (
        <p className="alert alert-success" role="status">
          {t('environments.bindings.saved')}
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
          {save.pending ? t('common.saving') : t('environments.bindings.save')}
        </button>
      </div>
    </form>
  );
}

interface BindingFieldsProps {
  name: string;
  services: string[];
  bound: boolean;
  draft: BindingDraft;
  problem: ReadBinding | undefined;
  appNames: string[];
  disabled: boolean;
  onChange: (draft: BindingDraft) => void;
}

function BindingFields({ name, services, bound, draft, problem, appNames, disabled, onChange }: BindingFieldsProps) {
  const { t, formatList } = useI18n();
  const id = useId();
  const set = (change: Partial<BindingDraft>) => onChange({ ...draft, ...change });
  const error = (field: BindingField) =>
    problem && !problem.ok && problem.field === field ? t(`environments.bindings.problem.${problem.problem}`) : undefined;
  const appChoices = draft.app && !appNames.includes(draft.app) ? [draft.app, ...appNames] : ['', ...appNames];

  return (
    <fieldset className="card binding" disabled={disabled} data-testid="binding" data-name={name}>
      <legend className="card-legend">
        <code>{name}</code>
      </legend>
      <p className="muted">
        {t('environments.bindings.neededBy', { services: formatList(services) })}{' '}
        {!bound && <span className="badge badge-warning">{t('environments.bindings.unbound')}</span>}
      </p>
      <div className="form-grid">
        <SelectControl
          id={`${id}-kind`}
          label={t('environments.bindings.kind')}
          value={draft.kind}
          options={BINDING_KINDS}
          optionLabel={(kind) => t(`environments.bindings.kind.${kind}`)}
          onChange={(kind) => set({ kind })}
        />
        {draft.kind === 'address' && (
          <>
            <TextControl
              id={`${id}-host`}
              label={t('environments.bindings.host')}
              value={draft.host}
              placeholder="db.internal"
              error={error('host')}
              onChange={(host) => set({ host })}
            />
            <TextControl
              id={`${id}-port`}
              label={t('environments.bindings.port')}
              value={draft.port}
              placeholder="5432"
              error={error('port')}
              onChange={(port) => set({ port })}
            />
          </>
        )}
        {draft.kind === 'url' && (
          <TextControl
            id={`${id}-url`}
            label={t('environments.bindings.url')}
            hint={t('environments.bindings.urlHint')}
            value={draft.url}
            placeholder="postgres://user:password@db.example.com:5432/app"
            error={error('url')}
            onChange={(url) => set({ url })}
          />
        )}
        {draft.kind === 'service' && (
          <>
            <SelectControl
              id={`${id}-app`}
              label={t('environments.bindings.app')}
              value={draft.app}
              options={appChoices}
              optionLabel={(app) => app || t('environments.bindings.chooseApp')}
              error={error('app')}
              onChange={(app) => set({ app })}
            />
            <TextControl
              id={`${id}-service`}
              label={t('environments.bindings.service')}
              value={draft.service}
              placeholder="web"
              error={error('service')}
              onChange={(service) => set({ service })}
            />
            <TextControl
              id={`${id}-environment`}
              label={t('environments.bindings.environment')}
              value={draft.environment}
              onChange={(environment) => set({ environment })}
            />
            <TextControl
              id={`${id}-service-port`}
              label={t('environments.bindings.servicePort')}
              hint={t('environments.bindings.servicePortHint')}
              value={draft.servicePort}
              error={error('servicePort')}
              onChange={(servicePort) => set({ servicePort })}
            />
          </>
        )}
      </div>
    </fieldset>
  );
}
