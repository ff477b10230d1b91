'use client';

import { gitConnectionRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { Field } from '@/components/field';
import { ErrorState, Loading } from '@/components/states';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { ApiError } from '@/lib/api/problem';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { gitConnectionsPath } from './build-paths';
import { ConnectInline } from './connect-inline';

/**
 * A repository and branch from one of the team's git connections (or a new one connected here). Gives the form
 * `access=connection`, `connectionId`, `repository` (the HTTPS clone URL) and `branch`.
 */
export function ConnectionPicker({ error, prefix }: { error: ApiError | undefined; prefix: string }) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const params = { tenant: tenant.slug };
  const connections = useResource((signal) => api(gitConnectionRoutes.list, { params }, { signal }), [tenant.slug]);
  const [chosen, setChosen] = useState<string>();
  const [fullName, setFullName] = useState('');
  const [branch, setBranch] = useState<string>();
  const items = connections.data?.items ?? [];
  const connectionId = chosen ?? items[0]?.id ?? '';
  const repositories = useResource(
    (signal) =>
      connectionId
        ? api(gitConnectionRoutes.repositories, { params: { ...params, connection: connectionId } }, { signal })
        : Promise.resolve({ items: [] }),
    [tenant.slug, connectionId],
  );
  const repository = repositories.data?.items.find((r) => r.fullName === fullName);
  const branches = useResource(
    (signal) =>
      connectionId && fullName
        ? api(
            gitConnectionRoutes.branches,
            { params: { ...params, connection: connectionId }, query: { repository: fullName } },
            { signal },
          )
        : Promise.resolve({ items: [] }),
    [tenant.slug, connectionId, fullName],
  );

  if (connections.loading && !connections.data) return <Loading />;
  if (connections.error) return <ErrorState error={connections.error} onRetry={connections.reload} />;
  if (items.length === 0) {
    return (
      <div className="stack">
        <p className="muted">{t('git.noConnections')}</p>
        <ConnectInline
          onAdded={(connection) => {
            connections.mutate((current) => ({ ...current, items: [connection, ...current.items] }));
            setChosen(connection.id);
          }}
        />
      </div>
    );
  }

  const chosenBranch = branch ?? repository?.defaultBranch ?? '';
  return (
    <div className="form-grid">
      <input type="hidden" name="access" value="connection" />
      <input type="hidden" name="repository" value={repository?.cloneUrl ?? ''} />
      <Field label={t('git.connection')} errors={error?.fieldMessages(`${prefix}.auth.connectionId`)}>
        {(control) => (
          <select
            {...control}
            className="select"
            name="connectionId"
            value={connectionId}
            onChange={(event) => {
              setChosen(event.target.value);
              setFullName('');
              setBranch(undefined);
            }}
          >
            {items.map((c) => (
              <option key={c.id} value={c.id}>
                {`${t(`gitProvider.${c.provider}`)} · ${c.account}`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={t('git.pickRepository')}
        hint={repositories.loading ? t('git.repositoriesLoading') : undefined}
        errors={[
          ...(repositories.error ? [repositories.error.message] : []),
          ...(error?.fieldMessages(`${prefix}.repository`) ?? []),
        ]}
      >
        {(control) => (
          <select
            {...control}
            className="select"
            required
            value={fullName}
            onChange={(event) => {
              setFullName(event.target.value);
              setBranch(undefined);
            }}
            data-testid="repository-select"
          >
            <option value="">{t('git.pickRepositoryPlaceholder')}</option>
            {(repositories.data?.items ?? []).map((r) => (
              <option key={r.fullName} value={r.fullName}>
                {r.private ? t('git.private', { name: r.fullName }) : r.fullName}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={t('git.branch')}
        hint={branches.loading && fullName ? t('git.branchesLoading') : t('git.branchHint')}
        errors={[...(branches.error ? [branches.error.message] : []), ...(error?.fieldMessages(`${prefix}.tracking`) ?? [])]}
      >
        {(control) => (
          <select
            {...control}
            className="select"
            name="branch"
            value={chosenBranch}
            onChange={(event) => setBranch(event.target.value)}
            data-testid="branch-select"
          >
            {chosenBranch && !branches.data?.items.some((b) => b.name === chosenBranch) && (
              <option value={chosenBranch}>{chosenBranch}</option>
            )}
            {(branches.data?.items ?? []).map((b) => (
              <option key={b.name} value={b.name}>
                {b.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="field-hint">
        <Link href={gitConnectionsPath(tenant.slug)}>{t('git.manageConnections')}</Link>
      </p>
    </div>
  );
}
