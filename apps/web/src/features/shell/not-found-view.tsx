'use client';

import Link from 'next/link';
import { AuthFrame } from '@/features/auth/auth-frame';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function NotFoundView() {
  const { t } = useI18n();
  return (
    <AuthFrame>
      <div className="auth-card">
        <h1>{t('notFound.title')}</h1>
        <p className="muted">{t('notFound.body')}</p>
        <Link href="/" className="button button-primary">
          {t('notFound.back')}
        </Link>
      </div>
    </AuthFrame>
  );
}
