'use client';

import { Badge } from '@/components/badge';
import { PageHeader } from '@/components/page-header';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { RenameTeamForm } from './rename-team-form';
import { useTenant } from './tenant-provider';
import { UsagePanel } from './usage-panel';

export function OverviewView() {
  const { t, formatDate } = useI18n();
  const { tenant, role, denial } = useTenant();
  const suspended = tenant.status === 'suspended';

  return (
    <>
      <PageHeader title={tenant.name} description={<code>{tenant.slug}</code>} />
      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title" className="visually-hidden">
          {t('tenant.details')}
        </h2>
        <dl className="details" data-testid="tenant-details">
          <div>
            <dt>{t('tenant.plan')}</dt>
            <dd data-testid="tenant-plan">{t(`plan.${tenant.planId}`)}</dd>
          </div>
          <div>
            <dt>{t('tenant.status')}</dt>
            <dd>
              <Badge tone={suspended ? 'danger' : 'success'}>{t(`tenantStatus.${tenant.status}`)}</Badge>
            </dd>
          </div>
          <div>
            <dt>{t('tenant.yourRole')}</dt>
            <dd>{t(`role.${role}`)}</dd>
          </div>
          <div>
            <dt>{t('tenant.kind')}</dt>
            <dd>{tenant.personal ? t('tenant.kind.personal') : t('tenant.kind.team')}</dd>
          </div>
          <div>
            <dt>{t('tenant.created')}</dt>
            <dd>{formatDate(tenant.createdAt)}</dd>
          </div>
        </dl>
      </section>
      <UsagePanel />
      {!denial('tenant.update', 'read') && <RenameTeamForm />}
    </>
  );
}
