'use client';

import { invitationRoutes, type RouteOutput } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { Badge } from '@/components/badge';
import { ProblemAlert } from '@/components/problem-alert';
import { withNext } from '@/features/auth/safe-next';
import { useMe, useSession } from '@/features/auth/session-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/locales';

export type InvitationPreview = RouteOutput<typeof invitationRoutes.preview>;

const CLOSED: Record<Exclude<InvitationPreview['status'], 'pending'>, MessageKey> = {
  accepted: 'acceptInvite.closed.accepted',
  revoked: 'acceptInvite.closed.revoked',
  expired: 'acceptInvite.closed.expired',
};

/** A previewed invitation for the signed-in user, with the Accept action when it is theirs to accept. */
export function InvitationCard({ token, preview }: { token: string; preview: InvitationPreview }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const session = useSession();
  const router = useRouter();
  const accept = useAction(() => api(invitationRoutes.accept, { body: { token } }));
  const wrongEmail = preview.email.toLowerCase() !== me.user.email.toLowerCase();
  const expired = preview.status === 'pending' && Date.parse(preview.expiresAt) <= Date.now();
  const closedKey = preview.status !== 'pending' ? CLOSED[preview.status] : expired ? CLOSED.expired : undefined;

  async function onAccept() {
    const result = await accept.run();
    if (!result.ok) return;
    await session.reload();
    router.push(`/t/${result.value.slug}`);
  }

  async function switchAccount() {
    await session.signOut();
    router.push(withNext('/login', `/invite/${token}`));
  }

  return (
    <div className="auth-card" data-testid="invitation">
      <h1>{t('acceptInvite.title', { team: preview.tenant.name })}</h1>
      <dl className="details details-stacked">
        <div>
          <dt>{t('acceptInvite.team')}</dt>
          <dd data-testid="invitation-team">{preview.tenant.name}</dd>
        </div>
        <div>
          <dt>{t('acceptInvite.role')}</dt>
          <dd data-testid="invitation-role">{t(`role.${preview.role}`)}</dd>
        </div>
        <div>
          <dt>{t('acceptInvite.email')}</dt>
          <dd>{preview.email}</dd>
        </div>
        <div>
          <dt>{t('acceptInvite.expires')}</dt>
          <dd>
            {formatDateTime(preview.expiresAt)}{' '}
            {preview.status !== 'pending' && <Badge tone="warning">{t(`invitationStatus.${preview.status}`)}</Badge>}
          </dd>
        </div>
      </dl>
      {closedKey ? (
        <div className="alert alert-warning" role="status">
          <p className="alert-title">{t(closedKey)}</p>
          <p>{t('acceptInvite.askAgain')}</p>
        </div>
      ) : wrongEmail ? (
        <div className="alert alert-warning" role="status" data-testid="invitation-wrong-email">
          <p className="alert-title">{t('acceptInvite.wrongEmail', { invited: preview.email, current: me.user.email })}</p>
          <button type="button" className="button button-secondary" onClick={() => void switchAccount()}>
            {t('acceptInvite.switchAccount', { email: preview.email })}
          </button>
        </div>
      ) : (
        <>
          <ProblemAlert error={accept.error} />
          <button
            type="button"
            className="button button-primary button-block"
            onClick={() => void onAccept()}
            disabled={accept.pending}
            aria-busy={accept.pending}
          >
            {accept.pending ? t('common.working') : t('acceptInvite.accept', { team: preview.tenant.name })}
          </button>
        </>
      )}
    </div>
  );
}
