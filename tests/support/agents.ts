import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type AgentCommand, adminClusterRoutes } from '@wharf/contracts';
import { SecretBox } from '@wharf/crypto';
import { type AgentCommandRow, type ClusterRow, Database, type TenantId } from '@wharf/db';
import { Bus } from '@wharf/queue';
import { Redis } from 'ioredis';
import { ClustersService } from '../../apps/api/src/clusters/clusters.service.js';
import { platformAdmin } from '../../apps/api/src/security/fixtures.js';
import { Commands } from '../../apps/worker/src/commands.js';
import { type Account, startTestApp, type TestApp } from './app.js';

/** An engine as an agent reports it on registering: a manager of a one-node Swarm. */
export const FAKE_ENGINE = { version: '27.5.1', apiVersion: '1.41', os: 'Debian GNU/Linux 13', swarmNodeId: 'node-1' };
/** A heartbeat of that engine: its one node ready, no services, nothing running. */
export const FAKE_HEARTBEAT = {
  engine: FAKE_ENGINE,
  nodes: [
    {
      id: 'node-1',
      hostname: 'manager-1',
      addr: '10.0.0.1',
      role: 'manager',
      state: 'ready',
      availability: 'active',
      cpus: 2,
      memoryBytes: 4_000_000_000,
      labels: {},
    },
  ],
  services: [],
  running: [],
  version: '0.1.0-test',
};

/** The real API, listening for agents, with a shared cluster of its own and the worker's side of the agent protocol. */
export interface AgentApi {
  t: TestApp;
  cluster: ClusterRow;
  /** A platform admin's session: revokes agents through the admin routes. */
  admin: Account;
  redis: Redis;
  /** The Redis pub/sub the API relays log streams on. */
  bus: Bus;
  /** A new one-time join token for the cluster. */
  joinToken(): Promise<string>;
  /**
   * Writes a command for the cluster's agent exactly as the worker does (secrets sealed, the agent's long-poll
   * woken); `tenantId` must be a real tenant (the API looks it up for a stack.apply's progress) or null.
   */
  send(key: string, command: AgentCommand, tenantId: string | null): Promise<AgentCommandRow>;
  /** The command's row, as the worker reads it back (state, result, error, deliveries). */
  command(id: string): Promise<AgentCommandRow>;
  revoke(agentId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startAgentApi(): Promise<AgentApi> {
  const key = process.env.MASTER_KEY;
  if (!key) throw new Error('MASTER_KEY is not set: run the tests through `npm test` (scripts/test.sh)');
  const t = await startTestApp(
    // heartbeats every second; jobs enqueued by the apps these tests create go to a queue no worker reads
    { AGENT_HEARTBEAT_MS: '1000', QUEUE_PREFIX: `wharf-agent-test-${randomBytes(4).toString('hex')}` },
    { listen: true },
  );
  const clusters = t.app.get(ClustersService);
  const cluster = await clusters.ensureShared({ name: 'agent-test', domain: 'agent-test.localhost', proxyPort: 8088 });
  const admin = await platformAdmin(t);
  const db = new Database({ connectionString: t.db.appUrl, maxConnections: 2 });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const bus = new Bus(redis);
  const commands = new Commands(db, bus, SecretBox.fromBase64(key));
  return {
    t,
    cluster,
    admin,
    redis,
    bus,
    joinToken: () => clusters.issueJoinToken(cluster.id),
    send: (key, command, tenantId) => commands.send(cluster.id, tenantId as TenantId | null, key, command),
    async command(id) {
      const row = await commands.get(id);
      if (!row) throw new Error(`no command ${id}`);
      return row;
    },
    async revoke(agentId) {
      const res = await t.call(adminClusterRoutes.revokeAgent, {
        token: admin.accessToken,
        params: { clusterId: cluster.id, agentId },
      });
      if (res.status !== 200) throw new Error(`revoke: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async close() {
      bus.close();
      await redis.quit();
      await db.close();
      // the agents are stopped, but a connection an aborted request of theirs left half-open would hold the server's
      // close until its headers timeout (60 s)
      (t.app.getHttpServer() as Server).closeAllConnections();
      await t.close();
    },
  };
}

/** Polls `fn` every 100 ms until it holds; fails after `timeoutMs`. */
export async function eventually(fn: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
