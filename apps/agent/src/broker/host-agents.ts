import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type RunningAgent, startAgent } from '../agent.js';
import type { FetchFn } from '../api-client.js';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, sleep } from '../backoff.js';
import { CommandError, ConfigError, errorMessage, FatalAuthError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BrokerHost, BrokerStore } from './broker-state.js';
import { SshConnection, SshRefusedError, sshDockerRepository } from './ssh-engine.js';

/*
 * The host agents of a broker: for each attached `ssh` host, the ordinary agent (startAgent: registration with the
 * host's token, command poll, heartbeat, engine events) running in the broker's process, its engine reached over
 * the host's SSH connection. A host agent that cannot start (the host unreachable for now) is started again with
 * backoff; one whose credential the API refuses (the host was removed) stops, and the broker goes on.
 */

export interface HostAgentsOptions {
  apiUrl: string;
  store: BrokerStore;
  privateKey: string;
  log: Logger;
  fetch?: FetchFn;
  backoff?: BackoffPolicy;
  heartbeatMs?: number;
  pollWaitMs?: number;
}

interface Attached {
  host: BrokerHost;
  ssh: SshConnection;
  abort: AbortController;
  agent?: RunningAgent;
  run?: Promise<void>;
}

/** The address the host's engine advertises in the Swarm: the one the broker reaches it at (resolved, for a name). */
async function advertiseAddrOf(address: string): Promise<string> {
  return isIP(address) ? address : (await lookup(address)).address;
}

export class HostAgents {
  private readonly attached = new Map<string, Attached>();

  constructor(private readonly options: HostAgentsOptions) {}

  ids(): string[] {
    return [...this.attached.keys()];
  }

  /** Starts the host agent of every host the broker had attached before it restarted. */
  async resume(): Promise<void> {
    const hosts = await this.options.store.hosts((file, err) =>
      this.options.log.error({ file, err }, 'an attached host file is unreadable: that host is not resumed'),
    );
    for (const host of hosts) this.start(host);
    if (hosts.length > 0) this.options.log.info({ hosts: hosts.length }, 'host agents resumed');
  }

  /**
   * Attaches a host (idempotent: the same hostId keeps its agent). The host's engine is reached once first: a host
   * key other than the pinned one, or the broker's key refused, fails the attach and nothing is kept; a host not
   * reachable yet is kept, and its agent keeps trying.
   */
  async attach(host: BrokerHost): Promise<{ started: boolean }> {
    if (this.attached.has(host.hostId)) return { started: false };
    const ssh = new SshConnection(host, this.options.privateKey);
    try {
      (await ssh.channel()).destroy();
    } catch (err) {
      if (err instanceof SshRefusedError) {
        ssh.close();
        throw new CommandError(err.message);
      }
      this.options.log.warn({ hostId: host.hostId, err: errorMessage(err) }, 'host not reachable yet: its agent keeps trying');
    }
    if (this.attached.has(host.hostId)) {
      ssh.close();
      return { started: false };
    }
    await this.options.store.saveHost(host);
    this.start(host, ssh);
    return { started: true };
  }

  /** Stops the host's agent and forgets the host (its files too). */
  async detach(hostId: string): Promise<{ detached: boolean }> {
    const entry = this.attached.get(hostId);
    this.attached.delete(hostId);
    if (entry) await this.stopOne(entry);
    const forgotten = await this.options.store.forgetHost(hostId);
    return { detached: entry !== undefined || forgotten };
  }

  /** Stops every host agent (the broker is stopping); the hosts stay attached for the next start. */
  async stop(): Promise<void> {
    const entries = [...this.attached.values()];
    this.attached.clear();
    await Promise.allSettled(entries.map((e) => this.stopOne(e)));
  }

  private async stopOne(entry: Attached): Promise<void> {
    entry.abort.abort();
    await entry.agent?.stop().catch(() => undefined);
    // an agent still starting (registering with an API that does not answer) is not waited for long: its connection
    // to the host closes below, and it ends when its next call fails
    const waited = new AbortController();
    await Promise.race([entry.run?.catch(() => undefined), sleep(10_000, waited.signal).catch(() => undefined)]);
    waited.abort();
    entry.ssh.close();
  }

  private start(host: BrokerHost, ssh = new SshConnection(host, this.options.privateKey)): void {
    const entry: Attached = { host, ssh, abort: new AbortController() };
    this.attached.set(host.hostId, entry);
    entry.run = this.supervise(entry);
  }

  /** Runs the host's agent until it is detached, starting it again after a failure; a refused credential ends it. */
  private async supervise(entry: Attached): Promise<void> {
    const { host, abort } = entry;
    const log = this.options.log.child({ hostId: host.hostId, host: host.address });
    const docker = sshDockerRepository(entry.ssh);
    for (let failures = 0; !abort.signal.aborted; failures++) {
      try {
        const agent = await startAgent({
          apiUrl: this.options.apiUrl,
          ...(host.registrationToken ? { joinToken: host.registrationToken } : {}),
          statePath: this.options.store.agentStatePath(host.hostId),
          name: `ssh-${host.address}`.slice(0, 100),
          docker,
          hostAgent: true,
          advertiseAddr: await advertiseAddrOf(host.address),
          log,
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
          ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
          ...(this.options.heartbeatMs ? { heartbeatMs: this.options.heartbeatMs } : {}),
          ...(this.options.pollWaitMs ? { pollWaitMs: this.options.pollWaitMs } : {}),
        });
        entry.agent = agent;
        if (abort.signal.aborted) {
          await agent.stop();
          return;
        }
        // registered: the host agent's own state file holds its credential now, the one-time token is spent
        if (host.registrationToken) {
          const { registrationToken: _spent, ...kept } = host;
          await this.options.store.saveHost(kept);
        }
        failures = 0;
        await agent.done;
        return;
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof FatalAuthError || err instanceof ConfigError) {
          log.error(
            { err: errorMessage(err) },
            'host agent stopped: the API refused it (host removed?) or its state is unusable',
          );
          return;
        }
        const delay = backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF);
        log.warn({ err: errorMessage(err), delayMs: delay }, 'host agent could not run: starting it again');
        await sleep(delay, abort.signal).catch(() => undefined);
      }
    }
  }
}
