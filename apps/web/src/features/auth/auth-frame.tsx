'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { LocaleSwitcher } from '@/features/shell/locale-switcher';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The frame of the signed-out pages (login, sign-up, invitation). */
export function AuthFrame({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="auth-page">
      <div className="auth-locale">
        <LocaleSwitcher />
      </div>
      <Link href="/" className="brand brand-large" aria-label={t('header.home')}>
        <span className="brand-mark" aria-hidden="true">
          ⚓
        </span>
        <span className="brand-name">Wharf</span>
      </Link>
      <main id="main" className="auth-main">
        {children}
      </main>
      <p className="auth-footer muted">{t('auth.tagline')}</p>
    </div>
  );
}
