'use client';

import { clusterRoutes } from '@wharf/contracts';
import { Field } from '@/components/field';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { ApiError } from '@/lib/api/problem';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The cluster to run on; empty is the API's default (the team's own cluster, else the shared one). */
export function ClusterSelect({ error }: { error: ApiError | undefined }) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const clusters = useResource(
    (signal) => api(clusterRoutes.list, { params: { tenant: tenant.slug } }, { signal }),
    [tenant.slug],
  );
  const items = clusters.data?.items ?? [];
  return (
    <Field
      label={t('apps.create.cluster')}
      hint={clusters.error ? t('apps.create.clustersUnavailable') : t('apps.create.clusterHint')}
      errors={error?.fieldMessages('body.cluster')}
    >
      {(control) => (
        <select {...control} className="select" name="cluster" defaultValue="">
          <option value="">{t('apps.create.clusterDefault')}</option>
          {items.map((cluster) => (
            <option key={cluster.id} value={cluster.id}>
              {t('apps.create.clusterOption', {
                name: cluster.name,
                kind: t(`clusterKind.${cluster.kind}`),
                status: t(`clusterStatus.${cluster.status}`),
              })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
