'use client';

import { type AdminClusterHealth, type AgentLink, type ClusterHealth, HOST_STATES } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { CountBar } from './count-bar';

const HEALTH_TONE: Record<ClusterHealth, BadgeTone> = { healthy: 'success', degraded: 'warning', down: 'danger' };
const LINK_TONE: Record<AgentLink, BadgeTone> = { connected: 'success', stale: 'danger', never: 'neutral' };

/** `12s ago`, or `never`. */
function useAge() {
  const { t, formatDuration } = useI18n();
  return (ms: number | null) => (ms === null ? t('adminOps.never') : t('adminOps.ago', { duration: formatDuration(ms / 1000) }));
}

export function ClusterCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t } = useI18n();
  const age = useAge();
  return (
    <>
      <span className="cell-primary">{cluster.name}</span>
      <code className="cell-secondary">{cluster.domain}</code>
      <span className="cell-secondary">
        <Badge tone="info">{t(`clusterKind.${cluster.kind}`)}</Badge>{' '}
        <span data-testid="cluster-heartbeat">{t('adminOps.clusters.heartbeat', { when: age(cluster.heartbeatAgeMs) })}</span>
      </span>
    </>
  );
}

export function OwnerCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t } = useI18n();
  if (!cluster.owner) return <span className="muted">{t('adminOps.clusters.platformOwner')}</span>;
  return (
    <>
      <span className="cell-primary">{cluster.owner.name ?? cluster.owner.id}</span>
      {cluster.owner.slug && <code className="cell-secondary">{cluster.owner.slug}</code>}
    </>
  );
}

export function WhereCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t, formatList } = useI18n();
  if (cluster.providers.length === 0) {
    return (
      <span className="muted">
        {cluster.kind === 'shared' ? t('adminOps.clusters.platformMachines') : t('adminOps.clusters.noHosts')}
      </span>
    );
  }
  // provider and region ids, as the API names them
  return (
    <>
      <code className="cell-primary">{formatList(cluster.providers)}</code>
      <code className="cell-secondary">{formatList(cluster.regions)}</code>
    </>
  );
}

export function HealthCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t } = useI18n();
  return (
    <>
      <span data-testid="cluster-health" data-health={cluster.health}>
        <Badge tone={HEALTH_TONE[cluster.health]}>{t(`clusterHealth.${cluster.health}`)}</Badge>
      </span>
      {cluster.reasons.map((reason) => (
        <span key={reason} className="cell-secondary" data-testid="cluster-health-reason">
          {t(`clusterHealthReason.${reason}`)}
        </span>
      ))}
    </>
  );
}

export function AgentsCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t } = useI18n();
  const age = useAge();
  return (
    <>
      {cluster.agents.length === 0 && <span className="muted">{t('adminOps.clusters.noAgents')}</span>}
      {cluster.agents.map((agent) => (
        <span key={agent.id} className="cell-secondary" data-testid="cluster-agent" data-link={agent.link}>
          <Badge tone={LINK_TONE[agent.link]}>{t(`agentLink.${agent.link}`)}</Badge> {agent.name} · {age(agent.lastSeenAgeMs)}
        </span>
      ))}
      {cluster.revokedAgents > 0 && (
        <span className="cell-secondary">{t('adminOps.clusters.revoked', { count: cluster.revokedAgents })}</span>
      )}
    </>
  );
}

export function NodesCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t, formatNumber } = useI18n();
  const { total, ready, managers, readyManagers } = cluster.nodes;
  if (total === 0) return <span className="muted">{t('adminOps.clusters.noNodes')}</span>;
  const label = t('adminOps.clusters.nodesReady', { ready: formatNumber(ready), total: formatNumber(total) });
  return (
    <>
      <span className="nowrap" data-testid="cluster-nodes">
        {label}
      </span>
      <CountBar value={ready} max={total} tone={ready < total ? 'warning' : 'ok'} label={label} />
      <span className="cell-secondary">{t('adminOps.clusters.managers', { ready: readyManagers, total: managers })}</span>
    </>
  );
}

export function HostsCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t, formatNumber } = useI18n();
  const live = HOST_STATES.filter((s) => s !== 'terminated' && s !== 'failed').reduce((sum, s) => sum + cluster.hosts[s], 0);
  if (live === 0 && cluster.hosts.failed === 0) return <span className="muted">{t('adminOps.clusters.noHosts')}</span>;
  const moving = HOST_STATES.filter((s) => s !== 'ready' && s !== 'terminated' && s !== 'failed' && cluster.hosts[s] > 0);
  return (
    <>
      <span className="nowrap">{t('adminOps.clusters.hostsReady', { ready: formatNumber(cluster.hosts.ready), live })}</span>
      {moving.map((state) => (
        <span key={state} className="cell-secondary">
          {formatNumber(cluster.hosts[state])} {t(`hostState.${state}`)}
        </span>
      ))}
      {cluster.hosts.failed > 0 && (
        <span className="cell-secondary">
          <Badge tone="danger">{t('adminOps.clusters.hostsFailed', { count: cluster.hosts.failed })}</Badge>
        </span>
      )}
    </>
  );
}
