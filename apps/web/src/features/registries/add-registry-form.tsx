'use client';

import { type RegistryCredential, registryRoutes } from '@wharf/contracts';
import type { FormEvent } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

const FIELDS = ['body.server', 'body.username', 'body.password'];

export function AddRegistryForm({ onAdded }: { onAdded: (credential: RegistryCredential) => void }) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('registries.write');
  const add = useAction((server: string, username: string, password: string) =>
    api(registryRoutes.create, { params: { tenant: tenant.slug }, body: { server, username, password } }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await add.run(String(form.get('server')), String(form.get('username')), String(form.get('password')));
    if (!result.ok) return;
    onAdded(result.value);
    formElement.reset();
  }

  return (
    <div className="stack">
      <form onSubmit={onSubmit} className="form-row" aria-label={t('registries.add.title')} data-testid="add-registry-form">
        <Field
          label={t('registries.add.server')}
          hint={t('registries.add.serverHint')}
          errors={add.error?.fieldMessages('body.server')}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              name="server"
              required
              maxLength={253}
              autoComplete="off"
              disabled={!!blocked}
            />
          )}
        </Field>
        <Field label={t('registries.add.username')} errors={add.error?.fieldMessages('body.username')}>
          {(control) => (
            <input
              {...control}
              className="input"
              name="username"
              required
              maxLength={256}
              autoComplete="off"
              disabled={!!blocked}
            />
          )}
        </Field>
        <Field
          label={t('registries.add.password')}
          hint={t('registries.add.passwordHint')}
          errors={add.error?.fieldMessages('body.password')}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              name="password"
              type="password"
              required
              maxLength={8192}
              autoComplete="new-password"
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
            {add.pending ? t('common.working') : t('registries.add.submit')}
          </button>
        </div>
      </form>
      {blocked && <p className="muted">{blocked}</p>}
      <ProblemAlert error={add.error} shownFields={FIELDS} />
    </div>
  );
}
