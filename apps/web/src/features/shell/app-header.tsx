'use client';

import Link from 'next/link';
import { useMe, useSession } from '@/features/auth/session-provider';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { CreateTeamButton } from './create-team-dialog';
import { LocaleSwitcher } from './locale-switcher';
import { TenantSwitcher } from './tenant-switcher';

export function AppHeader() {
  const { t } = useI18n();
  const me = useMe();
  // Signing out makes <RequireAuth> send the user to the login page.
  const { signOut } = useSession();

  return (
    <header className="topbar">
      <Link href="/" className="brand" aria-label={t('header.home')}>
        <span className="brand-mark" aria-hidden="true">
          ⚓
        </span>
        <span className="brand-name">Wharf</span>
      </Link>
      <div className="topbar-teams">
        <TenantSwitcher tenants={me.tenants} />
        <CreateTeamButton />
      </div>
      <div className="topbar-user">
        <LocaleSwitcher />
        {me.user.isPlatformAdmin && (
          <Link href="/admin/tenants" className="button button-ghost">
            {t('header.admin')}
          </Link>
        )}
        <span className="user-chip" title={me.user.email} data-testid="current-user">
          {me.user.name}
        </span>
        <button type="button" className="button button-ghost" onClick={() => void signOut()}>
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
