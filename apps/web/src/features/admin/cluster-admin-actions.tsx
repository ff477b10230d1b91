'use client';

import { type AdminClusterHealth, adminClusterRoutes } from '@wharf/contracts';
import { useState } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type AgentsOf, ClusterAgentsDialog } from './cluster-agents-dialog';
import { type IssuedToken, JoinTokenDialog } from './join-token-dialog';
import { RegisterClusterDialog } from './register-cluster-dialog';

/**
 * The clusters page's actions and their dialogs: registering a cluster, a new join token for one, its agents.
 * `button` renders the register button, `rowActions` a cluster's buttons, `dialogs` the dialogs and the last issue's
 * problem.
 */
export function useClusterAdminActions(onRegistered: () => void) {
  const { t } = useI18n();
  const [registering, setRegistering] = useState(false);
  const [token, setToken] = useState<IssuedToken>();
  const [agentsOf, setAgentsOf] = useState<AgentsOf>();
  const issue = useAction((cluster: AdminClusterHealth) =>
    api(adminClusterRoutes.issueJoinToken, { params: { clusterId: cluster.id } }),
  );

  async function issueFor(cluster: AdminClusterHealth) {
    const result = await issue.run(cluster);
    if (result.ok) setToken({ clusterName: cluster.name, joinToken: result.value.joinToken });
  }

  const button = (
    <button type="button" className="button button-primary" onClick={() => setRegistering(true)}>
      {t('adminClusters.register.open')}
    </button>
  );

  const rowActions = (cluster: AdminClusterHealth) => (
    <div className="row-actions nowrap">
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => void issueFor(cluster)}
        disabled={issue.pending}
        aria-label={t('adminClusters.token.issueFor', { name: cluster.name })}
      >
        {t('adminClusters.token.issue')}
      </button>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => setAgentsOf({ id: cluster.id, name: cluster.name })}
        aria-label={t('adminClusters.agents.openFor', { name: cluster.name })}
      >
        {t('adminClusters.agents.open')}
      </button>
    </div>
  );

  const dialogs = (
    <>
      <ProblemAlert error={issue.error} />
      {registering && (
        <RegisterClusterDialog
          open
          onClose={() => setRegistering(false)}
          onCreated={(created) => {
            setRegistering(false);
            setToken({ clusterName: created.cluster.name, joinToken: created.joinToken, proxyPort: created.cluster.proxyPort });
            onRegistered();
          }}
        />
      )}
      <JoinTokenDialog token={token} onClose={() => setToken(undefined)} />
      <ClusterAgentsDialog cluster={agentsOf} onClose={() => setAgentsOf(undefined)} />
    </>
  );

  return { button, rowActions, dialogs };
}
