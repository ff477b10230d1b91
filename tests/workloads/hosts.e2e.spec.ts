import { type App, type Host, hostRoutes } from '@wharf/contracts';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, hammer, hostOf, settled, waitServing } from '../support/apps.js';
import { ensureHttpImage, REGISTRY } from '../support/engine.js';
import { type LocalHosts, startLocalHosts, until } from '../support/local-hosts.js';
import { ip } from '../support/local-network.js';

/*
 * The host workflow for real, with the `local` provider: hosts requested through the API are created (a network
 * namespace with its own dockerd on a bridge of this run), their agents (apps/agent, started in the namespace as
 * cloud-init starts it) register with their one-time tokens through a relay from the bridge's address to the API,
 * the first inits the Swarm, the others join, the cluster grows to 3 managers; an app of 3 replicas runs one task per
 * host and answers at its URL through each host's edge proxy (Caddy in the host, configured by its agent); a removed
 * host is drained (its task moves, the app keeps answering), leaves the Swarm and is terminated; at the end nothing
 * of the run is left. Images come from the registry through a relay on the bridge. The set-up:
 * tests/support/local-hosts.ts. Needs root, iproute2, iptables, dockerd, caddy.
 */

let h: LocalHosts;
let app: App | undefined;
const netnsOf = (machineId: string) => `wharf-${machineId.slice('local-'.length)}`;
const params = (hostId?: string) => ({ tenant: h.owner.tenant.id, clusterId: h.cluster, ...(hostId ? { hostId } : {}) });
const getHost = (id: string) => h.get(id);
const inState = (id: string, state: Host['state'], ms = 90_000) => h.inState(id, state, ms);

async function engineOf(host: Host): Promise<Docker> {
  const m = await h.machines.observe('local', host.machineId ?? '');
  if (!m) throw new Error(`no machine for ${host.name}`);
  return new Docker({ socketPath: m.extra.dockerSocket as string });
}

beforeAll(async () => {
  // a worker that deploys too: the app of the tests runs on the hosts it makes
  h = await startLocalHosts('hosts', 'wh', {
    ownerName: 'Hosts Owner',
    registry: true,
    workerEnv: { WORKER_ROLES: 'deploy,reconcile,host' },
  });
}, 120_000);

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.log(h?.machineLogs());
});

afterAll(async () => {
  await h?.stop();
}, 120_000);

describe('hosts on the local provider', () => {
  const ids: string[] = [];

  it('three hosts requested through the API become one Swarm of three managers', async () => {
    for (const name of ['h1', 'h2', 'h3']) {
      const res = await h.t.call<Host>(hostRoutes.create, {
        params: params(),
        token: h.owner.accessToken,
        body: { provider: 'local', region: 'local', instanceType: 'local.small', name },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      ids.push(res.body.id);
    }
    const ready: Host[] = [];
    for (const id of ids) ready.push(await inState(id, 'ready', 180_000));
    // every agent registered with its own token and is bound to its host
    const agents = await h.t.owner.query('select host_id from agents where host_id = any($1::uuid[]) and revoked_at is null', [
      ids,
    ]);
    expect(agents.rowCount).toBe(3);
    // the cluster grows to three managers (the promotions follow the third host's readiness)
    const nodes = await until(
      async () => {
        const list = await (await engineOf(ready[0] as Host)).listNodes();
        const managers = list.filter(
          (n) => n.Spec?.Role === 'manager' && n.Status?.State === 'ready' && n.ManagerStatus?.Reachability === 'reachable',
        );
        return managers.length === 3 ? list : undefined;
      },
      60_000,
      'three managers',
    );
    const addr = (n: (typeof nodes)[number]) => (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, '');
    expect(nodes.map(addr).sort()).toEqual(ready.map((r) => r.privateIp).sort());
    for (const id of ids)
      expect(await getHost(id)).toMatchObject({ state: 'ready', swarmRole: 'manager', lastSeenAt: expect.any(String) });
    // the join tokens were handed over sealed: no command row at rest holds one in clear
    const joins = await h.t.owner.query<{ payload: string }>(
      `select payload::text from agent_commands where kind = 'swarm.join' and agent_id in (select id from agents where host_id = any($1::uuid[]))`,
      [ids],
    );
    expect(joins.rowCount).toBe(2);
    for (const row of joins.rows) expect(row.payload).not.toContain('SWMTKN');
  }, 300_000);

  it('an app of three replicas runs one task per host and answers at its URL through every host', async () => {
    const image = (await ensureHttpImage()).replace(REGISTRY, `${h.gateway}:5000`);
    const created = await createApp(h.t, h.owner, { name: 'spread', image, port: 8080, replicas: 3, cluster: h.cluster });
    app = created.app;
    expect((await settled(h.t, h.owner, app.id, created.deployment?.id ?? '', 120_000)).status).toBe('live');
    const hosts = await Promise.all(ids.map(getHost));
    // one running task on each host's engine
    for (const host of hosts) {
      const running = await (await engineOf(host)).listContainers({ filters: { label: ['com.docker.swarm.service.name'] } });
      expect(running, host.name).toHaveLength(1);
    }
    // each host's edge routes the app's URL (the app is reachable whichever host DNS points at)
    for (const host of hosts) await waitServing(80, hostOf(app), 'v1', 30_000, host.privateIp ?? '');
  }, 240_000);

  it('a removed host is drained, leaves the Swarm, and its machine is gone; the app keeps answering', async () => {
    const [first, second] = [await getHost(ids[0] ?? ''), await getHost(ids[1] ?? '')];
    if (!app) throw new Error('no app');
    const load = hammer(80, hostOf(app), first.privateIp ?? '');
    const res = await h.t.call<Host>(hostRoutes.remove, { params: params(second.id), token: h.owner.accessToken });
    expect(res.status).toBe(202);
    // the removal's steps, timed, to set beside the time of any failed request
    const timeline: string[] = [];
    await until(
      async () => {
        const h = await getHost(second.id);
        if (timeline.at(-1)?.endsWith(h.state) !== true) timeline.push(`${new Date().toISOString()} ${h.state}`);
        return h.state === 'terminated' ? h : undefined;
      },
      120_000,
      'the removed host terminated',
    );
    const { total, failures } = await load.stop();
    expect(total).toBeGreaterThan(10);
    expect(failures, timeline.join(', ')).toEqual([]);
    // the task of the removed host runs again on the two left
    await until(
      async () => {
        const counts = await Promise.all(
          [first, await getHost(ids[2] ?? '')].map(
            async (host) =>
              (await (await engineOf(host)).listContainers({ filters: { label: ['com.docker.swarm.service.name'] } })).length,
          ),
        );
        return counts.reduce((a, b) => a + b, 0) === 3 ? counts : undefined;
      },
      60_000,
      'three tasks on the two hosts left',
    );
    expect(ip('netns', 'list')).not.toContain(netnsOf(second.machineId ?? ''));
    const nodes = await (await engineOf(first)).listNodes();
    expect(nodes.map((n) => (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, ''))).not.toContain(second.privateIp);
    expect(nodes).toHaveLength(2);
  }, 180_000);

  it('removing the rest leaves nothing of them', async () => {
    const rest = [ids[2] ?? '', ids[0] ?? ''];
    for (const id of rest) {
      const res = await h.t.call<Host>(hostRoutes.remove, { params: params(id), token: h.owner.accessToken });
      expect(res.status).toBe(202);
      await inState(id, 'terminated', 120_000);
    }
    const all = await Promise.all(ids.map(getHost));
    for (const host of all) expect(ip('netns', 'list')).not.toContain(netnsOf(host.machineId ?? ''));
    expect(await h.machines.list('local')).toEqual([]);
    expect(h.leftovers().processes).toEqual([]);
  }, 300_000);
});
