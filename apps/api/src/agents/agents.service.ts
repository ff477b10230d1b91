import { Inject, Injectable } from '@nestjs/common';
import {
  AGENT_CREDENTIAL_PREFIX,
  AgentCommand,
  ApplyResult,
  type CommandResult,
  type DeliveredCommand,
  type EngineEvent,
  ForbiddenError,
  JOIN_TOKEN_PREFIX,
  mapCommandSecrets,
  NotFoundError,
  type RegisterRequest,
  SECRET_RESULT_KINDS,
  type ServiceState,
} from '@wharf/contracts';
import type { z } from 'zod';

type EngineEventInput = z.output<typeof EngineEvent>;
/** What a host's agent says of its machine when it registers (RegisterRequest.machine). */
type MachineReport = NonNullable<z.output<typeof RegisterRequest>['machine']>;
/** What a broker says of itself when it registers (RegisterRequest.broker). */
type BrokerReport = z.output<typeof RegisterRequest>['broker'];

import { AAD, hashToken, randomSecret, type SecretBox } from '@wharf/crypto';
import {
  AgentCommandsRepository,
  AgentsRepository,
  BrokersRepository,
  ClustersRepository,
  Database,
  DeploymentsRepository,
  EnvironmentsRepository,
  HostsRepository,
} from '@wharf/db';
import { type Bus, CHANNELS, KEYS } from '@wharf/queue';
import type { Redis } from 'ioredis';
import { CONFIG, type Config } from '../config.js';
import { BUS, DATABASE, REDIS, SECRET_BOX } from '../core/tokens.js';
import type { AgentPrincipal } from './agent-auth.service.js';

/** The API's side of the agent protocol: registration, command delivery, results, heartbeats, log batches. */
@Injectable()
export class AgentsService {
  private readonly agents = new AgentsRepository();
  private readonly commands = new AgentCommandsRepository();
  private readonly clusters = new ClustersRepository();
  private readonly environments = new EnvironmentsRepository();
  private readonly deployments = new DeploymentsRepository();
  private readonly hosts = new HostsRepository();
  private readonly brokers = new BrokersRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /**
   * Trades a one-time token for an agent credential. The token is a cluster's join token (the agent runs
   * cluster-wide commands, as the embedded agent does) or a host's registration token (the agent is bound to the
   * host, and its host moves on from bootstrapping to joining) or a broker's token (the agent is that broker, and must
   * report its SSH public key). All look alike and are stored hashed only; a used, expired or unknown one is refused
   * the same way.
   */
  async register(token: string, name: string, version: string | null, machine: MachineReport = {}, broker?: BrokerReport) {
    const credential = `${AGENT_CREDENTIAL_PREFIX}${randomSecret()}`;
    const credentialHash = hashToken(credential);
    return this.db.withPlatform(async (p) => {
      const refused = new ForbiddenError('Unknown, used or expired join token.');
      if (!token.startsWith(JOIN_TOKEN_PREFIX)) throw refused;
      const tokenHash = hashToken(token);
      const clusterId = await this.agents.consumeJoinToken(p, tokenHash);
      if (clusterId) {
        const agent = await this.agents.create(p, { clusterId, name, credentialHash, version });
        return { agentId: agent.id, clusterId, credential };
      }
      const brokerRow = await this.brokers.consumeToken(p, tokenHash);
      if (brokerRow) {
        // checked after the lookup (and the transaction rolled back with it): a broker without a key stays unused
        if (!broker) throw refused;
        const agent = await this.agents.create(p, {
          clusterId: brokerRow.clusterId,
          name,
          credentialHash,
          version,
          brokerId: brokerRow.id,
        });
        await this.brokers.bindAgent(p, brokerRow.id, agent.id, broker.sshPublicKey);
        return { agentId: agent.id, clusterId: brokerRow.clusterId, credential };
      }
      const host = await this.hosts.consumeRegistrationToken(p, tokenHash);
      if (!host) throw refused;
      const agent = await this.agents.create(p, { clusterId: host.clusterId, name, credentialHash, version, hostId: host.id });
      await this.hosts.bindAgent(p, host.id, agent.id, {
        privateIp: machine.advertiseAddr,
        vcpus: machine.cpus,
        memoryMib: machine.memoryBytes === undefined ? undefined : Math.floor(machine.memoryBytes / 1_048_576),
      });
      return { agentId: agent.id, clusterId: host.clusterId, credential };
    });
  }

  async rotate(agent: AgentPrincipal): Promise<{ credential: string }> {
    const credential = `${AGENT_CREDENTIAL_PREFIX}${randomSecret()}`;
    await this.db.withPlatform((p) => this.agents.rotate(p, agent.agentId, hashToken(credential)));
    return { credential };
  }

  /**
   * Hands out pending commands; when there are none, waits (up to `waitMs`) for the bus to announce one. Ends, handing
   * out nothing, once `signal` says the agent hung up: a command claimed for a closed connection would reach no one
   * and wait for its lease to run out (a restarted agent's new poll would not get it back either).
   */
  async poll(
    agent: AgentPrincipal,
    request: { restarted: boolean; waitMs: number; max: number },
    signal: AbortSignal,
  ): Promise<{ commands: DeliveredCommand[] }> {
    if (request.restarted) await this.db.withPlatform((p) => this.commands.redeliver(p, agent.clusterId, agent.agentId));
    const deadline = Date.now() + request.waitMs;
    // listen before looking, so a command written in between wakes this poll
    const wakes = await this.bus.listen(CHANNELS.agentWake(agent.clusterId));
    try {
      while (!signal.aborted) {
        const claimed = await this.db.withPlatform((p) =>
          this.commands.claim(p, agent.clusterId, agent.agentId, request.max, this.config.AGENT_COMMAND_LEASE_MS),
        );
        if (signal.aborted) {
          await this.handBack(agent, claimed);
          break;
        }
        if (claimed.length > 0) {
          return {
            commands: claimed.map((c) => ({
              id: c.id,
              // unsealed first, then checked: a sealed value is not what the schema describes (a join token)
              command: AgentCommand.parse(
                mapCommandSecrets(
                  c.payload as AgentCommand,
                  (v, tenantId) => this.box.open(v, AAD.agentCommand(tenantId)),
                  c.tenantId,
                ),
              ),
            })),
          };
        }
        const left = deadline - Date.now();
        if (left <= 0) break;
        // the wake message is a hint; look again at least every 5 s in case one was lost
        await wakes.next(Math.min(left, 5_000), signal);
      }
      return { commands: [] };
    } finally {
      await wakes.close();
    }
  }

  /** Commands claimed for a poll whose agent hung up meanwhile go back to the queue, for the agent's next poll. */
  private async handBack(agent: AgentPrincipal, claimed: { id: string }[]): Promise<void> {
    if (claimed.length === 0) return;
    const ids = claimed.map((c) => c.id);
    await this.db.withPlatform((p) => this.commands.release(p, agent.clusterId, agent.agentId, ids));
    await this.bus.publish(CHANNELS.agentWake(agent.clusterId));
  }

  async result(agent: AgentPrincipal, commandId: string, outcome: CommandResult): Promise<void> {
    const done = await this.db.withPlatform(async (p) => {
      // a result that carries secrets (Swarm join tokens) is stored sealed, bound to its command
      const kind = outcome.ok ? (await this.commands.get(p, commandId))?.kind : undefined;
      const result =
        outcome.ok && kind && (SECRET_RESULT_KINDS as readonly string[]).includes(kind)
          ? { sealed: this.box.seal(JSON.stringify(outcome.result ?? null), AAD.commandResult(commandId)) }
          : outcome.ok
            ? (outcome.result ?? null)
            : null;
      return this.commands.complete(
        p,
        agent.clusterId,
        agent.agentId,
        commandId,
        outcome.ok ? { ok: true, result } : { ok: false, error: outcome.error },
      );
    });
    if (!done) {
      const known = await this.db.withPlatform((p) => this.commands.get(p, commandId));
      if (!known || known.clusterId !== agent.clusterId) throw new NotFoundError('command');
      if (known.agentId !== null && known.agentId !== agent.agentId) throw new NotFoundError('command');
      return; // a late duplicate of a result already recorded
    }
    if (done.kind === 'stack.apply' && outcome.ok) {
      const parsed = ApplyResult.safeParse(outcome.result);
      const cmd = AgentCommand.parse(done.payload);
      if (parsed.success && cmd.kind === 'stack.apply') await this.recordServices(agent.clusterId, parsed.data.services);
    }
    await this.bus.publish(CHANNELS.commandDone(commandId));
  }

  /** A step of a deployment's command goes to the deployment's log. */
  async progress(agent: AgentPrincipal, commandId: string, message: string): Promise<void> {
    const command = await this.db.withPlatform((p) => this.commands.get(p, commandId));
    if (!command || command.clusterId !== agent.clusterId) throw new NotFoundError('command');
    if (command.agentId !== null && command.agentId !== agent.agentId) throw new NotFoundError('command');
    const parsed = AgentCommand.safeParse(command.payload);
    if (!parsed.success || !command.tenantId) return;
    if (parsed.data.kind !== 'stack.apply' && parsed.data.kind !== 'stack.test') return;
    const deploymentId = parsed.data.desired.deploymentId;
    await this.db.withTenant(command.tenantId, null, (s) => this.deployments.event(s, deploymentId, 'log', message));
    await this.bus.publish(CHANNELS.deployment(deploymentId));
  }

  async heartbeat(
    agent: AgentPrincipal,
    beat: { engine: unknown; nodes: unknown[]; services: ServiceState[]; running: string[]; version: string },
  ): Promise<{ intervalMs: number }> {
    // a broker has no engine of its own: its heartbeat only says it is alive and what it is running
    const broker = agent.kind === 'broker';
    await this.db.withPlatform(async (p) => {
      if (!broker) await this.clusters.recordHeartbeat(p, agent.clusterId, { engine: beat.engine, nodes: beat.nodes });
      await this.agents.touch(p, agent.agentId, beat.version);
      await this.commands.extendLeases(p, agent.clusterId, agent.agentId, beat.running, this.config.AGENT_COMMAND_LEASE_MS);
    });
    if (!broker) await this.recordServices(agent.clusterId, beat.services);
    return { intervalMs: this.config.AGENT_HEARTBEAT_MS };
  }

  /**
   * Engine events of the cluster: those of an app that is being deployed go to that deployment's log (a task that
   * died, a container killed for memory…), so the person following the rollout sees them; the rest are logged.
   */
  async events(agent: AgentPrincipal, events: EngineEventInput[]): Promise<number> {
    const scoped = events.filter((e) => e.scope !== undefined);
    if (scoped.length === 0) return 0;
    const envs = await this.db.withPlatform((p) => this.environments.listOnCluster(p, agent.clusterId));
    let recorded = 0;
    for (const { app, name } of envs) {
      const mine = scoped.filter(
        (e) => e.scope?.tenantId === app.tenantId && e.scope.app === app.slug && e.scope.environment === name,
      );
      if (mine.length === 0) continue;
      const deploymentId = await this.db.withTenant(app.tenantId, null, async (s) => {
        const active = await this.deployments.activeFor(s, app.id, name, '00000000-0000-0000-0000-000000000000');
        if (!active) return undefined;
        for (const e of mine) await this.deployments.event(s, active.id, 'log', `engine: ${e.message}`);
        return active.id;
      });
      if (deploymentId) {
        recorded += mine.length;
        await this.bus.publish(CHANNELS.deployment(deploymentId));
      }
    }
    return recorded;
  }

  /** Forwards a log batch to the client stream that asked for it; `continue` is false once the client is gone. */
  async logs(streamId: string, batch: { lines: unknown[]; done: boolean }): Promise<{ continue: boolean }> {
    await this.bus.publish(CHANNELS.logs(streamId), JSON.stringify(batch));
    const alive = (await this.redis.exists(KEYS.logStreamAlive(streamId))) === 1;
    return { continue: alive && !batch.done };
  }

  /** Records what the engine runs in each environment, per service (for the API's status and the reconcile job). */
  private async recordServices(clusterId: string, services: ServiceState[]): Promise<void> {
    if (services.length === 0) return;
    await this.db.withPlatform(async (p) => {
      for (const env of await this.environments.listOnCluster(p, clusterId)) {
        const { app } = env;
        const mine = services.filter(
          (s) => s.scope.tenantId === app.tenantId && s.scope.app === app.slug && s.scope.environment === env.name,
        );
        if (mine.length === 0) continue;
        const actual = Object.fromEntries(
          mine.map((s) => [
            s.service,
            { desired: s.desired, running: s.running, healthy: s.healthy, message: s.message ?? null },
          ]),
        );
        await this.environments.recordActual(p, app.tenantId, app.id, env.name, actual);
      }
    });
  }
}
