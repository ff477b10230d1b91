'use client';

import { tenantRoutes } from '@wharf/contracts';
import { type FormEvent, useState } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { useSession } from '@/features/auth/session-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useTenant } from './tenant-provider';

export function RenameTeamForm() {
  const { t } = useI18n();
  const { tenant, denial, reload } = useTenant();
  const session = useSession();
  const [saved, setSaved] = useState(false);
  const blocked = denial('tenant.update');
  const rename = useAction((name: string) => api(tenantRoutes.update, { params: { tenant: tenant.slug }, body: { name } }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const name = String(new FormData(event.currentTarget).get('name'));
    if (!(await rename.run(name)).ok) return;
    setSaved(true);
    reload();
    await session.reload();
  }

  return (
    <section className="card" aria-labelledby="settings-title">
      <div className="card-header">
        <h2 id="settings-title">{t('tenant.settings.title')}</h2>
      </div>
      <form onSubmit={onSubmit} className="form-inline">
        <ProblemAlert error={rename.error} shownFields={['body.name']} />
        <Field label={t('tenant.settings.name')} hint={blocked ?? undefined} errors={rename.error?.fieldMessages('body.name')}>
          {(control) => (
            <input
              {...control}
              key={tenant.name}
              className="input"
              name="name"
              defaultValue={tenant.name}
              required
              maxLength={100}
              disabled={!!blocked}
            />
          )}
        </Field>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-secondary"
            disabled={!!blocked || rename.pending}
            aria-busy={rename.pending}
          >
            {rename.pending ? t('common.saving') : t('common.save')}
          </button>
          <span className="muted" aria-live="polite">
            {saved ? t('common.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
