'use client';

import { type Invitation, invitationRoutes, type Role } from '@wharf/contracts';
import { type FormEvent, useState } from 'react';
import { CopyField } from '@/components/copy-field';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { invitableRoles } from './role-options';

const DEFAULT_ROLE: Role = 'developer';

export function InviteForm({ onCreated }: { onCreated: (invitation: Invitation) => void }) {
  const { t, formatDateTime } = useI18n();
  const { tenant, role, denial } = useTenant();
  const [created, setCreated] = useState<{ invitation: Invitation; url: string }>();
  const blocked = denial('members.invite');
  const roles = invitableRoles(role);
  const invite = useAction((email: string, to: Role) =>
    api(invitationRoutes.create, { params: { tenant: tenant.slug }, body: { email, role: to } }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setCreated(undefined);
    const result = await invite.run(String(form.get('email')), String(form.get('role')) as Role);
    if (!result.ok) return;
    setCreated({ invitation: result.value.invitation, url: result.value.url });
    onCreated(result.value.invitation);
    formElement.reset();
  }

  return (
    <div className="stack">
      <form onSubmit={onSubmit} className="form-row" aria-label={t('invite.title')} data-testid="invite-form">
        <Field label={t('invite.email')} errors={invite.error?.fieldMessages('body.email')}>
          {(control) => (
            <input {...control} className="input" name="email" type="email" required autoComplete="off" disabled={!!blocked} />
          )}
        </Field>
        <Field label={t('invite.role')} errors={invite.error?.fieldMessages('body.role')}>
          {(control) => (
            <select
              {...control}
              className="select"
              name="role"
              defaultValue={roles.includes(DEFAULT_ROLE) ? DEFAULT_ROLE : roles.at(-1)}
              disabled={!!blocked}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-row-action">
          <button
            type="submit"
            className="button button-primary"
            disabled={!!blocked || invite.pending}
            aria-busy={invite.pending}
            title={blocked ?? undefined}
          >
            {invite.pending ? t('common.working') : t('invite.submit')}
          </button>
        </div>
      </form>
      {blocked && <p className="muted">{blocked}</p>}
      <ProblemAlert error={invite.error} shownFields={['body.email', 'body.role']} />
      {created && (
        <div className="alert alert-success" data-testid="invite-created">
          <p className="alert-title">{t('invite.created', { email: created.invitation.email })}</p>
          <CopyField label={t('invite.link')} value={created.url} testId="invite-link" />
          <p className="muted">{t('invite.expires', { date: formatDateTime(created.invitation.expiresAt) })}</p>
        </div>
      )}
    </div>
  );
}
