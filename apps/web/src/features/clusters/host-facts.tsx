'use client';

import { brokerRoutes, type Host } from '@wharf/contracts';
import type { ReactNode } from 'react';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/locales';
import { HostStateBadge } from './cluster-status';
import { hostTimeline } from './host-timeline';
import { secondsSince, useNow } from './use-now';

function Fact({ label, children, wide = false }: { label: MessageKey; children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={wide ? 'details-wide' : undefined}>
      <dt>{t(label)}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const dash = <span className="muted">—</span>;
const code = (value: string | null) => (value ? <code className="break-anywhere">{value}</code> : dash);

/** "Seen 5s ago", counting on every second; "never" until the host's agent first calls. */
export function LastSeen({ at }: { at: string | null }) {
  const { t, formatDuration, formatDateTime } = useI18n();
  const now = useNow();
  if (!at) return <span data-testid="host-last-seen">{t('host.neverSeen')}</span>;
  return (
    <time dateTime={at} title={formatDateTime(at)} data-testid="host-last-seen">
      {t('host.seenAgo', { duration: formatDuration(secondsSince(at, now)) })}
    </time>
  );
}

/** The broker driving an `ssh` host, by name. */
function BrokerName({ clusterId, brokerId }: { clusterId: string; brokerId: string }) {
  const { tenant } = useTenant();
  const brokers = useResource(
    (signal) => api(brokerRoutes.list, { params: { tenant: tenant.slug, clusterId } }, { signal }),
    [tenant.slug, clusterId],
  );
  const name = brokers.data?.items.find((b) => b.id === brokerId)?.name;
  return name ? <span>{name}</span> : code(brokerId);
}

/** What the API knows of the host: where it runs, its size and addresses, how it is reached and its Swarm role. */
export function HostFacts({ host }: { host: Host }) {
  const { t, formatNumber } = useI18n();
  return (
    <dl className="details" data-testid="host-facts">
      <Fact label="host.facts.state">
        <HostStateBadge state={host.state} />
        {host.failure && (
          <span className="cell-secondary field-error" data-testid="host-failure">
            {host.failure}
          </span>
        )}
      </Fact>
      <Fact label="host.facts.lastSeen">
        <LastSeen at={host.lastSeenAt} />
      </Fact>
      <Fact label="host.facts.provider">
        <span data-testid="host-provider">{t(`hostProvider.${host.provider}`)}</span>
      </Fact>
      <Fact label="host.facts.region">{code(host.zone ? `${host.region} / ${host.zone}` : host.region)}</Fact>
      <Fact label="host.facts.instanceType">{code(host.instanceType)}</Fact>
      <Fact label="host.facts.size">
        {host.vcpus !== null && host.memoryMib !== null
          ? t('hosts.size', { vcpus: formatNumber(host.vcpus), memory: formatNumber(host.memoryMib) })
          : dash}
      </Fact>
      <Fact label="host.facts.privateIp">{code(host.privateIp)}</Fact>
      <Fact label="host.facts.publicIp">{code(host.publicIp)}</Fact>
      <Fact label="host.facts.role">{host.swarmRole ? t(`swarmRole.${host.swarmRole}`) : dash}</Fact>
      <Fact label="host.facts.machine">{code(host.machineId)}</Fact>
      {host.ssh && (
        <>
          <Fact label="host.facts.sshAddress">{code(`${host.ssh.user}@${host.ssh.address}:${host.ssh.port}`)}</Fact>
          <Fact label="host.facts.broker">
            <BrokerName clusterId={host.clusterId} brokerId={host.ssh.brokerId} />
          </Fact>
          <Fact label="host.facts.dockerSocket">{code(host.ssh.dockerSocket)}</Fact>
          <Fact label="host.facts.hostKey" wide>
            {code(host.ssh.hostKey)}
          </Fact>
        </>
      )}
    </dl>
  );
}

/** The host's life as its record tells it, oldest first. */
export function HostHistory({ host }: { host: Host }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ol className="host-history" data-testid="host-history">
      {hostTimeline(host).map((event) => (
        <li key={event.kind} data-kind={event.kind}>
          <time dateTime={event.at}>{formatDateTime(event.at)}</time>{' '}
          {event.kind === 'state'
            ? t('host.history.state', { state: t(`hostState.${host.state}`) })
            : t(`host.history.${event.kind}`)}
        </li>
      ))}
    </ol>
  );
}
