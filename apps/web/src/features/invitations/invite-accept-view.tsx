'use client';

import { invitationRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { ErrorState, Loading } from '@/components/states';
import { withNext } from '@/features/auth/safe-next';
import { useSession } from '@/features/auth/session-provider';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { InvitationCard } from './invitation-card';

function SignedInInvitation({ token }: { token: string }) {
  const { t } = useI18n();
  const preview = useResource((signal) => api(invitationRoutes.preview, { body: { token } }, { signal }), [token]);
  if (preview.error) {
    return (
      <div className="auth-card">
        <h1>{t('acceptInvite.invalid')}</h1>
        <ErrorState error={preview.error} />
        <Link href="/">{t('acceptInvite.toDashboard')}</Link>
      </div>
    );
  }
  if (!preview.data) return <Loading />;
  return <InvitationCard token={token} preview={preview.data} />;
}

/** `/invite/{token}`: anyone may open it; it is previewed and accepted once signed in. */
export function InviteAcceptView({ token }: { token: string }) {
  const { t } = useI18n();
  const { state, reload } = useSession();
  const here = `/invite/${encodeURIComponent(token)}`;

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={() => void reload()} />;
  if (state.status === 'authenticated') return <SignedInInvitation token={token} />;
  return (
    <div className="auth-card" data-testid="invitation-anonymous">
      <h1>{t('acceptInvite.anonymousTitle')}</h1>
      <p className="muted">{t('acceptInvite.anonymousBody')}</p>
      <div className="stack">
        <Link href={withNext('/signup', here)} className="button button-primary button-block">
          {t('acceptInvite.signup')}
        </Link>
        <Link href={withNext('/login', here)} className="button button-secondary button-block">
          {t('acceptInvite.login')}
        </Link>
      </div>
    </div>
  );
}
