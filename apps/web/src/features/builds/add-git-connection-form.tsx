'use client';

import { gitConnectionRoutes, type RouteOutput } from '@wharf/contracts';
import type { FormEvent } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

export type Connection = RouteOutput<typeof gitConnectionRoutes.create>;
export const GIT_PROVIDERS = ['github', 'gitlab', 'gitee'] as const;
type Provider = (typeof GIT_PROVIDERS)[number];
const FIELDS = ['body.provider', 'body.token'];

function isProvider(value: string): value is Provider {
  return GIT_PROVIDERS.some((provider) => provider === value);
}

/** Connects a GitHub, GitLab or Gitee account with an access token (the API checks it with the provider). */
export function AddGitConnectionForm({ onAdded }: { onAdded: (connection: Connection) => void }) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('apps.write');
  const add = useAction((provider: Provider, token: string) =>
    api(gitConnectionRoutes.create, { params: { tenant: tenant.slug }, body: { provider, token } }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // a form of its own, possibly inside the create-app form's markup: never submit that one
    event.stopPropagation();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const provider = String(form.get('provider'));
    if (!isProvider(provider)) return;
    const result = await add.run(provider, String(form.get('token') ?? '').trim());
    if (!result.ok) return;
    onAdded(result.value);
    formElement.reset();
  }

  return (
    <div className="stack">
      <form
        onSubmit={onSubmit}
        className="form-row"
        aria-label={t('gitConnections.add.title')}
        data-testid="add-git-connection-form"
      >
        <Field label={t('gitConnections.add.provider')} errors={add.error?.fieldMessages('body.provider')}>
          {(control) => (
            <select {...control} className="select" name="provider" defaultValue="github" disabled={!!blocked}>
              {GIT_PROVIDERS.map((provider) => (
                <option key={provider} value={provider}>
                  {t(`gitProvider.${provider}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('gitConnections.add.token')}
          hint={t('gitConnections.add.tokenHint')}
          errors={add.error?.fieldMessages('body.token')}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              name="token"
              type="password"
              required
              maxLength={512}
              autoComplete="off"
              disabled={!!blocked}
            />
          )}
        </Field>
        <div className="form-row-action">
          <button
            type="submit"
            className="button button-primary"
            disabled={!!blocked || add.pending}
            aria-busy={add.pending}
            title={blocked ?? undefined}
          >
            {add.pending ? t('common.working') : t('gitConnections.add.submit')}
          </button>
        </div>
      </form>
      {blocked && <p className="muted">{blocked}</p>}
      <ProblemAlert error={add.error} shownFields={FIELDS} />
    </div>
  );
}
