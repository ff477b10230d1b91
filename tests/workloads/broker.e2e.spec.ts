import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { type Broker, brokerRoutes, type CreatedBroker, type CreatedHost, type Host, hostRoutes } from '@wharf/contracts';
import { type LocalProvider, localProvider, type Machine } from '@wharf/providers';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, settled } from '../support/apps.js';
import { ensureHttpImage, REGISTRY } from '../support/engine.js';
import { type LocalHosts, startLocalHosts, until } from '../support/local-hosts.js';
import { type MachineSshd, startMachineSshd } from '../support/machine-sshd.js';
import { type RegistryRelay, relayRegistry } from '../support/registry-relay.js';

/*
 * Broker mode for real: two machines of the `local` provider made WITHOUT an agent and WITHOUT an edge proxy, each
 * running only its dockerd and a real OpenSSH sshd in its network namespace (its own host key; the broker's public
 * key as its only authorized key; stream-local forwarding, nothing else). One broker — the agent started with
 * WHARF_AGENT_BROKER=1 on the bridge side, outside the machines — dials the API through the relay on the bridge,
 * registers with its one-time token and reports its SSH key; both hosts, added with their pinned host keys, are
 * driven by it over SSH into one 2-node Swarm; an app of 2 replicas runs a task on each host's engine, answering on
 * its published port. A host pinned with the wrong key never becomes ready (its failure names the host key).
 * Removed, the hosts leave the Swarm and end terminated; the machines run on (they are the user's) until the test
 * destroys them. Needs root, iproute2, iptables, dockerd, nsenter, openssh-server.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const RUN = process.env.WHARF_TEST_RUN ?? `p${process.pid}`;
const SALT = 'broker';
// startLocalHosts relays the API on the bridge at this port (derived from the run, as it derives it)
const API_RELAY_PORT = 30_000 + (createHash('sha256').update(`${SALT}:${RUN}`).digest().readUInt16BE(2) % 5_000);

let hosts: LocalHosts;
let machines: LocalProvider;
let registryRelay: RegistryRelay | undefined;
let broker: ChildProcess | undefined;
let brokerDir = '';
const servers: MachineSshd[] = [];
const boxes: Machine[] = [];
const hostIds: string[] = [];

const params = (hostId?: string) => ({ tenant: hosts.owner.tenant.id, clusterId: hosts.cluster, ...(hostId ? { hostId } : {}) });
const engineOf = (m: Machine) => new Docker({ socketPath: String(m.extra.dockerSocket) });

/** GET http://address:port/ from this machine (the bridge side). */
function fetchFrom(address: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port, path: '/', timeout: 3_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function addSshHost(name: string, machine: Machine, hostKey: string, brokerId: string) {
  return hosts.t.call<CreatedHost>(hostRoutes.create, {
    params: params(),
    token: hosts.owner.accessToken,
    // the machine's engine listens on a socket of its own (its state directory), not /var/run/docker.sock
    body: {
      provider: 'ssh',
      name,
      address: machine.privateIp,
      user: 'root',
      hostKey,
      brokerId,
      dockerSocket: machine.extra.dockerSocket,
    },
  });
}

beforeAll(async () => {
  // the broker runs the agent bundle, as the API's start command does (a bare `tsc -b` does not make it)
  execFileSync(process.execPath, ['apps/agent/scripts/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' });
  hosts = await startLocalHosts(SALT, 'wk', {
    ownerName: 'Broker Owner',
    workerEnv: {
      WORKER_ROLES: 'deploy,reconcile,host',
      // the worker creates no machine here: a state directory of its own keeps its sweep away from the user's servers
      HOSTS_LOCAL_STATE_DIR: `${process.env.TMPDIR ?? '/tmp'}/wharf-wk-${RUN.slice(0, 8)}-worker`,
    },
  });
  const gateway = hosts.machines.gateway;
  registryRelay = await relayRegistry(gateway, 5000);
  // the user's servers: an engine each (pulling through the registry relay), no agent, no edge
  const subnet = gateway.replace(/\.1$/, '.0/24');
  machines = localProvider({ stateDir: hosts.stateDir, bridge: hosts.bridge, subnet, registry: `${gateway}:5000` });
  for (const name of ['srv-a', 'srv-b']) {
    const machine = await machines.create({
      region: 'local',
      instanceType: 'local.small',
      clientToken: `${name}-${RUN}`,
      tags: { tenant: 'user', cluster: 'own', host: name },
      name,
      bootstrap: {
        apiUrl: `http://${gateway}:${API_RELAY_PORT}`,
        registrationToken: 'unused-unused-unused',
        agentPackageUrl: '',
      },
    });
    boxes.push(machine);
    servers.push(await startMachineSshd({ netns: String(machine.extra.netns), address: machine.privateIp ?? '' }));
  }
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  const log = `${brokerDir}.log`;
  if (brokerDir && existsSync(log)) console.log(`── broker.log\n${readFileSync(log, 'utf8').split('\n').slice(-60).join('\n')}`);
  console.log(hosts.machineLogs());
});

afterAll(async () => {
  try {
    if (broker && broker.exitCode === null) {
      const exited = new Promise((r) => broker?.once('exit', r));
      broker.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (broker.exitCode === null) broker.kill('SIGKILL');
    }
    for (const s of servers) await s.close();
    await registryRelay?.close();
  } finally {
    if (brokerDir) rmSync(brokerDir, { recursive: true, force: true });
    rmSync(`${process.env.TMPDIR ?? '/tmp'}/wharf-wk-${RUN.slice(0, 8)}-worker`, { recursive: true, force: true });
    // the machines (engines, namespaces), the bridge, the worker, the relay, the API; then nothing may be left
    await hosts?.stop();
  }
}, 180_000);

describe('broker mode', () => {
  let brokerId = '';

  it('a broker created through the API starts, registers and shows its SSH public key', async () => {
    const created = await hosts.t.call<CreatedBroker>(brokerRoutes.create, {
      params: params(),
      token: hosts.owner.accessToken,
      body: { name: 'dc-local' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    brokerId = created.body.broker.id;
    brokerDir = path.join(hosts.stateDir, 'broker');
    const out = createWriteStream(`${brokerDir}.log`);
    // on the bridge side, outside the machines: it dials the API through the relay, as the command says to
    broker = spawn(process.execPath, ['apps/agent/dist/bundle/wharf-agent.mjs'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        WHARF_API_URL: `http://${hosts.machines.gateway}:${API_RELAY_PORT}`,
        WHARF_JOIN_TOKEN: created.body.joinToken,
        WHARF_AGENT_BROKER: '1',
        WHARF_AGENT_STATE: path.join(brokerDir, 'state.json'),
        WHARF_HEARTBEAT_MS: '1000',
        CADDY_ADMIN_URL: 'off',
        LOG_LEVEL: 'info',
      },
    });
    broker.stdout?.pipe(out);
    broker.stderr?.pipe(out);
    const shown = await until(
      async () => {
        const list = await hosts.t.call<{ items: Broker[] }>(brokerRoutes.list, {
          params: params(),
          token: hosts.owner.accessToken,
        });
        return list.body.items.find((b) => b.id === brokerId && b.sshPublicKey && b.lastSeenAt);
      },
      30_000,
      'the broker registered',
    );
    expect(shown.sshPublicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ wharf-broker$/);
    // the private key never left the broker's state directory
    expect(readFileSync(path.join(brokerDir, 'broker_ed25519.pub'), 'utf8').trim()).toBe(shown.sshPublicKey);
    for (const s of servers) await s.authorize(shown.sshPublicKey ?? '');
  }, 60_000);

  it('two hosts with sshd and no agent, driven by the broker, become one 2-node Swarm', async () => {
    for (const [i, machine] of boxes.entries()) {
      const res = await addSshHost(`srv-${i + 1}`, machine, servers[i]?.hostKey ?? '', brokerId);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.state).toBe('bootstrapping');
      hostIds.push(res.body.id);
    }
    const ready: Host[] = [];
    for (const id of hostIds) ready.push(await hosts.inState(id, 'ready', 180_000));
    expect(ready.map((h) => h.privateIp)).toEqual(boxes.map((m) => m.privateIp));
    expect(ready.map((h) => h.swarmRole).sort()).toEqual(['manager', 'worker']);
    expect(ready.every((h) => (h.vcpus ?? 0) > 0 && h.machineId === null)).toBe(true);
    const nodes = await engineOf(boxes[0] as Machine).listNodes();
    expect(nodes.map((n) => n.Status?.Addr).sort()).toEqual(boxes.map((m) => m.privateIp).sort());
    // no agent on the hosts: the agents bound to them run in the broker, which keeps a file per host
    const agents = await hosts.t.owner.query('select 1 from agents where host_id = any($1::uuid[]) and revoked_at is null', [
      hostIds,
    ]);
    expect(agents.rowCount).toBe(2);
    expect(
      readdirSync(path.join(brokerDir, 'hosts'))
        .filter((f) => !f.endsWith('.agent.json'))
        .sort(),
    ).toEqual(hostIds.map((id) => `${id}.json`).sort());
    // the registration tokens were handed to the broker sealed
    const attach = await hosts.t.owner.query<{ payload: string }>(
      `select payload::text from agent_commands where kind = 'broker.attach' and cluster_id = $1`,
      [hosts.cluster],
    );
    expect(attach.rowCount).toBe(2);
    for (const row of attach.rows) expect(row.payload).not.toContain('wharfj_');
  }, 400_000);

  it('an app of 2 replicas runs a task on each host, answering on its published port', async () => {
    const image = (await ensureHttpImage()).replace(REGISTRY, `${hosts.machines.gateway}:5000`);
    const created = await createApp(hosts.t, hosts.owner, {
      name: 'pair',
      image,
      port: 8080,
      replicas: 2,
      cluster: hosts.cluster,
    });
    expect((await settled(hosts.t, hosts.owner, created.app.id, created.deployment?.id ?? '', 180_000)).status).toBe('live');
    for (const machine of boxes) {
      const containers = await engineOf(machine).listContainers({ filters: { label: ['com.docker.swarm.service.name'] } });
      expect(containers, machine.id).toHaveLength(1);
      const port = containers[0]?.Ports.find((p) => p.PrivatePort === 8080 && p.PublicPort)?.PublicPort ?? 0;
      expect(port).toBeGreaterThan(0);
      expect((await until(() => fetchFrom(machine.privateIp ?? '', port), 30_000, `${machine.id}:${port}`)).trim()).toBe('v1');
    }
  }, 300_000);

  it('a host pinned with the wrong key never becomes ready, and its failure names the host key', async () => {
    // the first server's address, the second server's key
    const res = await addSshHost('imposter', boxes[0] as Machine, servers[1]?.hostKey ?? '', brokerId);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const failed = await hosts.inState(res.body.id, 'failed', 60_000);
    expect(failed.failure).toMatch(/host key/);
    expect(failed.readyAt).toBeNull();
    expect(existsSync(path.join(brokerDir, 'hosts', `${res.body.id}.json`))).toBe(false);
  }, 120_000);

  it('removed, both hosts leave the Swarm and end terminated; the machines still run, the broker too', async () => {
    for (const id of [...hostIds].reverse()) await hosts.remove(id);
    for (const machine of boxes) {
      expect((await engineOf(machine).info()).Swarm?.LocalNodeState).toBe('inactive');
      expect((await machines.observe('local', machine.id))?.state).toBe('running');
    }
    const revoked = await hosts.t.owner.query('select 1 from agents where host_id = any($1::uuid[]) and revoked_at is not null', [
      hostIds,
    ]);
    expect(revoked.rowCount).toBe(2);
    // the broker let go of them, and runs on for the datacenter's other hosts
    expect(readdirSync(path.join(brokerDir, 'hosts'))).toEqual([]);
    expect(broker?.exitCode).toBeNull();
  }, 300_000);
});
