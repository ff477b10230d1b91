'use client';

import type { Tenant } from '@wharf/contracts';
import { useParams, usePathname, useRouter } from 'next/navigation';
import { useId } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** `/t/old/members` → `/t/new/members`: switching team keeps the section. */
function switchedPath(pathname: string, current: string | undefined, slug: string): string {
  if (current && pathname.startsWith(`/t/${current}`)) return `/t/${slug}${pathname.slice(`/t/${current}`.length)}`;
  return `/t/${slug}`;
}

export function TenantSwitcher({ tenants }: { tenants: readonly Tenant[] }) {
  const { t } = useI18n();
  const id = useId();
  const router = useRouter();
  const pathname = usePathname();
  const params = useParams<{ tenant?: string }>();
  const current = tenants.find((tenant) => tenant.slug === params.tenant || tenant.id === params.tenant);

  return (
    <div className="tenant-switcher">
      <label htmlFor={id} className="visually-hidden">
        {t('header.switchTeam')}
      </label>
      <select
        id={id}
        className="select"
        data-testid="tenant-switcher"
        value={current?.slug ?? ''}
        onChange={(event) => router.push(switchedPath(pathname, params.tenant, event.target.value))}
      >
        {!current && (
          <option value="" disabled>
            {t('header.chooseTeam')}
          </option>
        )}
        {tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.slug}>
            {tenant.personal ? t('header.personalTeam', { name: tenant.name }) : tenant.name}
          </option>
        ))}
      </select>
    </div>
  );
}
