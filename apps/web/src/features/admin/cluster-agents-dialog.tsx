'use client';

import { type AdminAgent, adminClusterRoutes } from '@wharf/contracts';
import { Badge } from '@/components/badge';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { Dialog } from '@/components/dialog';
import { TableScroll } from '@/components/table-scroll';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { SnapshotState } from './snapshot-state';

export interface AgentsOf {
  id: string;
  name: string;
}

function AgentRow({ agent, onRevoke }: { agent: AdminAgent; onRevoke: (agent: AdminAgent) => void }) {
  const { t, formatDateTime } = useI18n();
  return (
    <tr data-testid="agent-row" data-name={agent.name} data-revoked={agent.revokedAt ? 'true' : 'false'}>
      <td className="cell-primary">{agent.name}</td>
      <td>{agent.version ?? t('adminOps.none')}</td>
      <td className="nowrap">{agent.lastSeenAt ? formatDateTime(agent.lastSeenAt) : t('adminOps.never')}</td>
      <td data-testid="agent-revoked">
        {agent.revokedAt ? (
          <Badge tone="danger">{t('adminClusters.agents.revokedAt', { when: formatDateTime(agent.revokedAt) })}</Badge>
        ) : (
          t('adminOps.none')
        )}
      </td>
      <td>
        {!agent.revokedAt && (
          <button type="button" className="button button-secondary button-small" onClick={() => onRevoke(agent)}>
            {t('adminClusters.agents.revoke')}
          </button>
        )}
      </td>
    </tr>
  );
}

function AgentsTable({ agents, onRevoke }: { agents: AdminAgent[]; onRevoke: (agent: AdminAgent) => void }) {
  const { t } = useI18n();
  const headers = ['name', 'version', 'lastSeen', 'revoked', 'actions'] as const;
  return (
    <TableScroll label={t('adminClusters.agents.tableLabel')}>
      <table className="table" data-testid="agents-table">
        <thead>
          <tr>
            {headers.map((key) => (
              <th key={key} scope="col">
                {t(`adminClusters.agents.col.${key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <AgentRow key={agent.id} agent={agent} onRevoke={onRevoke} />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A cluster's agents (revoked ones included), each revocable after a confirmation naming it. */
function AgentsList({ cluster }: { cluster: AgentsOf }) {
  const { t } = useI18n();
  const agents = useResource(
    (signal) => api(adminClusterRoutes.listAgents, { params: { clusterId: cluster.id } }, { signal }),
    [cluster.id],
  );
  const revoke = useConfirmAction(
    (agent: AdminAgent) => api(adminClusterRoutes.revokeAgent, { params: { clusterId: cluster.id, agentId: agent.id } }),
    (_agent, revoked) =>
      agents.mutate((data) => ({ items: data.items.map((item) => (item.id === revoked.id ? revoked : item)) })),
  );
  const name = revoke.target?.name ?? '';
  return (
    <>
      <SnapshotState resource={agents} isEmpty={(d) => d.items.length === 0} emptyTitle={t('adminClusters.agents.empty')}>
        {(data) => <AgentsTable agents={data.items} onRevoke={revoke.ask} />}
      </SnapshotState>
      <ConfirmDialog
        {...revoke.dialog}
        title={t('adminClusters.agents.revokeTitle', { name })}
        message={t('adminClusters.agents.revokeMessage', { name, cluster: cluster.name })}
        confirmLabel={t('adminClusters.agents.revoke')}
        testId="revoke-agent-dialog"
      />
    </>
  );
}

export function ClusterAgentsDialog({ cluster, onClose }: { cluster: AgentsOf | undefined; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog
      open={!!cluster}
      title={t('adminClusters.agents.title', { name: cluster?.name ?? '' })}
      onClose={onClose}
      testId="cluster-agents-dialog"
    >
      {cluster && <AgentsList key={cluster.id} cluster={cluster} />}
    </Dialog>
  );
}
