'use client';

import Link from 'next/link';
import { EmptyState } from '@/components/states';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function TenantNotFound() {
  const { t } = useI18n();
  return (
    <EmptyState title={t('tenant.notFound.title')}>
      <p className="muted">{t('tenant.notFound.body')}</p>
      <Link href="/" className="button button-secondary">
        {t('tenant.notFound.back')}
      </Link>
    </EmptyState>
  );
}
