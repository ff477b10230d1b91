'use client';

import { type ApiToken, apiTokenRoutes } from '@wharf/contracts';
import { type FormEvent, useState } from 'react';
import { CopyField } from '@/components/copy-field';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

const DEFAULT_DAYS = 90;
const MAX_DAYS = 365;

export function CreateTokenForm({ onCreated }: { onCreated: (token: ApiToken) => void }) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const [never, setNever] = useState(false);
  const [secret, setSecret] = useState<{ name: string; token: string }>();
  const blocked = denial('tokens.create');
  const create = useAction((name: string, expiresInDays: number | null) =>
    api(apiTokenRoutes.create, { params: { tenant: tenant.slug }, body: { name, expiresInDays } }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setSecret(undefined);
    const days = never ? null : Number(form.get('days'));
    const result = await create.run(String(form.get('name')), days);
    if (!result.ok) return;
    setSecret({ name: result.value.apiToken.name, token: result.value.token });
    onCreated(result.value.apiToken);
    formElement.reset();
    setNever(false);
  }

  return (
    <div className="stack">
      <form onSubmit={onSubmit} className="form-row" aria-label={t('tokens.create.title')} data-testid="create-token-form">
        <Field
          label={t('tokens.create.name')}
          hint={t('tokens.create.nameHint')}
          errors={create.error?.fieldMessages('body.name')}
        >
          {(control) => (
            <input {...control} className="input" name="name" required maxLength={100} autoComplete="off" disabled={!!blocked} />
          )}
        </Field>
        <Field label={t('tokens.create.days')} errors={create.error?.fieldMessages('body.expiresInDays')}>
          {(control) => (
            <input
              {...control}
              className="input input-narrow"
              name="days"
              type="number"
              min={1}
              max={MAX_DAYS}
              defaultValue={DEFAULT_DAYS}
              required={!never}
              disabled={never || !!blocked}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} disabled={!!blocked} />
          {t('tokens.create.never')}
        </label>
        <div className="form-row-action">
          <button
            type="submit"
            className="button button-primary"
            disabled={!!blocked || create.pending}
            aria-busy={create.pending}
            title={blocked ?? undefined}
          >
            {create.pending ? t('common.working') : t('tokens.create.submit')}
          </button>
        </div>
      </form>
      {blocked && <p className="muted">{blocked}</p>}
      <ProblemAlert error={create.error} shownFields={['body.name', 'body.expiresInDays']} />
      {secret && (
        <div className="alert alert-success" data-testid="token-created">
          <p className="alert-title">{t('tokens.created', { name: secret.name })}</p>
          <p>{t('tokens.createdOnce')}</p>
          <CopyField label={t('tokens.secret')} value={secret.token} testId="token-secret" />
          <button type="button" className="button button-secondary" onClick={() => setSecret(undefined)}>
            {t('tokens.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
