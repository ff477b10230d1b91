import { BrokerAttachResult, BrokerDetachResult } from '@wharf/contracts';
import { BrokersRepository, type HostView, type TenantScope } from '@wharf/db';
import { type CommandTarget, HostCommandFailed, HostCommands } from './host-commands.js';

/*
 * Broker mode: an `ssh` host has no agent of its own; its host agent runs inside the cluster's broker, which reaches
 * the host's engine over SSH. The workflow hands the host to the broker (`broker.attach`, with the host's one-time
 * registration token, sealed at rest) and takes it back on removal (`broker.detach`); everything else goes through
 * the host agent as for any host.
 */

/** The broker agent an `ssh` host is driven by; undefined while the broker has not registered (not started yet). */
export async function brokerOf(scope: TenantScope, host: HostView): Promise<CommandTarget | undefined> {
  if (!host.brokerId) throw new HostCommandFailed(`host ${host.name} has no broker`);
  const broker = await new BrokersRepository().find(scope, host.brokerId);
  if (!broker) throw new HostCommandFailed(`the broker of host ${host.name} is gone`);
  if (!broker.agentId) return undefined;
  return { agentId: broker.agentId, clusterId: broker.clusterId, tenantId: broker.tenantId, name: `broker ${broker.name}` };
}

/** The host workflow's commands, and those of broker mode. */
export class BrokerCommands extends HostCommands {
  attach(broker: CommandTarget, host: HostView, registrationToken: string) {
    const { sshAddress: address, sshPort: port, sshUser: user, sshHostKey: hostKey, dockerSocket } = host;
    if (!address || !port || !user || !hostKey || !dockerSocket)
      throw new HostCommandFailed(`host ${host.name} is not an ssh host`);
    return this.run(
      broker,
      `host-${host.id}-broker-attach`,
      { kind: 'broker.attach', hostId: host.id, address, port, user, hostKey, dockerSocket, registrationToken },
      BrokerAttachResult,
    );
  }

  detach(broker: CommandTarget, host: HostView) {
    return this.run(broker, `host-${host.id}-broker-detach`, { kind: 'broker.detach', hostId: host.id }, BrokerDetachResult);
  }
}

/** What the host processors need of broker mode (undefined: a worker without it fails `ssh` hosts). */
export type HostBroker = Pick<BrokerCommands, 'attach' | 'detach'>;
