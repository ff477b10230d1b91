import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureHttpImage, REGISTRY } from '../../../../tests/support/engine.js';
import { ip, runNetwork } from '../../../../tests/support/local-network.js';
import { type RegistryRelay, relayRegistry } from '../../../../tests/support/registry-relay.js';
import { ProviderError } from '../errors.js';
import { describeProviderContract, request } from '../testing/contract.js';
import type { CreateMachineRequest, Machine } from '../types.js';
import { LOCAL_INSTANCE_TYPE, LOCAL_REGION, localProvider } from './local.provider.js';
import { bridgeAddArgs } from './network.js';
import { parseSubnet, RecordStore } from './records.js';

/*
 * The local provider for real: machines are network namespaces with their own dockerd on a bridge of this run
 * (its name and /24 derived from WHARF_TEST_RUN), so the contract, a three-node Swarm and the clean-up are checked
 * against the kernel, not a mock. Needs root. Everything the run made is removed in afterAll, failed or not.
 */

const RUN = process.env.WHARF_TEST_RUN ?? `p${process.pid}`;
const { bridge: BRIDGE, subnet: SUBNET, gateway: GATEWAY, stateDir } = runNetwork('local-provider', 'wt');

/** The agent stand-in: writes what it was started with (env, addresses) to its state file, then idles. */
const AGENT = [
  "const fs = require('node:fs'), os = require('node:os');",
  "const keys = ['WHARF_API_URL', 'WHARF_JOIN_TOKEN', 'DOCKER_SOCK', 'WHARF_AGENT_STATE', 'CADDY_ADMIN_URL', 'AGENT_EXTRA', 'DATABASE_URL'];",
  'const env = Object.fromEntries(keys.map((k) => [k, process.env[k]]));',
  'const addresses = Object.values(os.networkInterfaces()).flat().map((a) => a.address);',
  'fs.writeFileSync(process.env.WHARF_AGENT_STATE, JSON.stringify({ env, addresses }));',
  'setInterval(() => {}, 1 << 30);',
].join('\n');

const provider = localProvider({
  stateDir,
  bridge: BRIDGE,
  subnet: SUBNET,
  registry: `${GATEWAY}:5000`,
  agent: { command: [process.execPath, '-e', AGENT], env: { AGENT_EXTRA: 'yes' } },
});

let relay: RegistryRelay | undefined;
/** The key of every machine this file made (`local-<key>`): what leftovers() looks for. */
const seen = new Set<string>();
const track = (m: Machine) => {
  seen.add(m.id.slice('local-'.length));
  return m;
};
const create = async (r: CreateMachineRequest) => track(await provider.create(r));

afterAll(async () => {
  try {
    await relay?.close();
    await provider.destroyAll();
    // the bridge and its FORWARD rule were this run's: gone with it
    expect(existsSync(`/sys/class/net/${BRIDGE}`)).toBe(false);
    expect(execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' })).not.toContain(BRIDGE);
    expect(leftovers()).toEqual({ netns: [], processes: [], veths: [], mounts: [] });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  // the host's own engine and docker0 untouched
  expect(ip('link', 'show', 'docker0')).toContain('docker0');
  expect(await new Docker({ socketPath: '/var/run/docker.sock' }).ping()).toBeTruthy();
}, 120_000);

/** What machines of this run's state directory left on the host. */
function leftovers() {
  const netns = ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => seen.has(n.replace(/^wharf-/, '')));
  const processes = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .map((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    })
    .filter((c) => c.includes(provider.stateDir));
  const veths = ip('-o', 'link', 'show', 'type', 'veth')
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? '')
    .filter((n) => seen.has(n.slice(2, 12)));
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${provider.stateDir}/`));
  return { netns, processes, veths, mounts };
}

async function until<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const engineOf = (m: Machine) => new Docker({ socketPath: m.extra.dockerSocket as string });
const req = () => request({ region: LOCAL_REGION, instanceType: LOCAL_INSTANCE_TYPE });

describeProviderContract('local', async () => ({
  provider: { ...provider, create },
  region: LOCAL_REGION,
  instanceType: LOCAL_INSTANCE_TYPE,
  bootMs: 30_000,
}));

describe('local: machines', () => {
  it('makes three machines that form a real Swarm and run one task each, pulled from the registry over the bridge', async () => {
    const started = Date.now();
    const requests = [req(), req(), req()];
    const machines = await Promise.all(requests.map((r) => create(r)));
    const created = Date.now() - started;
    expect(new Set(machines.map((m) => m.privateIp)).size).toBe(3);
    for (const m of machines) {
      expect(m.state).toBe('running');
      expect(m.privateIp).toMatch(new RegExp(`^${GATEWAY.slice(0, -1).replaceAll('.', '\\.')}\\d+$`));
      expect(m.id).toMatch(/^local-[0-9a-f]{10}$/);
    }

    // the agent runs inside the machine, with its bootstrap and nothing of this process's environment
    const [first] = machines as [Machine, Machine, Machine];
    const stateFile = path.join(path.dirname(first.extra.dockerSocket as string), 'agent-state.json');
    const agent = await until(
      async () =>
        existsSync(stateFile)
          ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { env: Record<string, string>; addresses: string[] })
          : undefined,
      10_000,
      'the agent state file',
    );
    expect(agent.env).toEqual({
      WHARF_API_URL: requests[0]?.bootstrap.apiUrl,
      WHARF_JOIN_TOKEN: requests[0]?.bootstrap.registrationToken,
      DOCKER_SOCK: first.extra.dockerSocket,
      WHARF_AGENT_STATE: stateFile,
      CADDY_ADMIN_URL: 'off',
      AGENT_EXTRA: 'yes',
    });
    expect(agent.addresses).toContain(first.privateIp);
    expect(first.extra.agentPid).toEqual(expect.any(Number));
    // the bridge keeps the MAC it was made with, whatever its ports (the machines' ARP entry for the gateway holds)
    const bridgeMac = () => readFileSync(`/sys/class/net/${BRIDGE}/address`, 'utf8').trim();
    expect(bridgeAddArgs(BRIDGE)).toContain(bridgeMac());

    relay = await relayRegistry(GATEWAY, 5000);
    const image = (await ensureHttpImage()).replace(REGISTRY, relay.addr);

    const [manager, ...workers] = machines.map(engineOf) as [Docker, Docker, Docker];
    const managerIp = first.privateIp as string;
    await manager.swarmInit({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: managerIp });
    const { JoinTokens } = (await manager.swarmInspect()) as { JoinTokens: { Worker: string } };
    await Promise.all(
      workers.map((w, i) =>
        w.swarmJoin({
          ListenAddr: '0.0.0.0:2377',
          AdvertiseAddr: machines[i + 1]?.privateIp,
          RemoteAddrs: [`${managerIp}:2377`],
          JoinToken: JoinTokens.Worker,
        }),
      ),
    );
    const nodes = await until(
      async () => {
        const list = (await manager.listNodes()) as { Status: { State: string; Addr: string } }[];
        return list.length === 3 && list.every((n) => n.Status.State === 'ready') ? list : undefined;
      },
      60_000,
      'three ready nodes',
    );
    expect(nodes.map((n) => n.Status.Addr).sort()).toEqual(machines.map((m) => m.privateIp).sort());

    await manager.createService({
      Name: 'web',
      TaskTemplate: { ContainerSpec: { Image: image }, Placement: { MaxReplicas: 1 } },
      Mode: { Replicated: { Replicas: 3 } },
    });
    const tasks = await until(
      async () => {
        const list = (await manager.listTasks({ filters: { service: ['web'] } })) as {
          NodeID: string;
          Status: { State: string };
        }[];
        const running = list.filter((t) => t.Status.State === 'running');
        return running.length === 3 ? running : undefined;
      },
      90_000,
      'three running tasks',
    );
    expect(new Set(tasks.map((t) => t.NodeID)).size).toBe(3);
    const swarmUp = Date.now() - started;

    const deleting = Date.now();
    const mac = bridgeMac();
    await provider.delete(LOCAL_REGION, first.id);
    expect(bridgeMac()).toBe(mac);
    await Promise.all(machines.map((m) => provider.delete(LOCAL_REGION, m.id)));
    for (const m of machines) expect(await provider.observe(LOCAL_REGION, m.id)).toBeUndefined();
    expect(leftovers()).toEqual({ netns: [], processes: [], veths: [], mounts: [] });
    expect(await provider.list(LOCAL_REGION)).toEqual([]);
    console.info(
      `local machines: 3 created in ${created} ms, Swarm with 3 tasks in ${swarmUp} ms, deleted in ${Date.now() - deleting} ms`,
    );
  }, 240_000);

  it('finishes a create that an earlier attempt left half done (record and namespace only), under the same id', async () => {
    const r = req();
    const store = new RecordStore(provider.stateDir, parseSubnet(SUBNET));
    const half = store.reserve({ ...r });
    seen.add(half.key);
    ip('netns', 'add', half.netns);
    const before = await provider.observe(LOCAL_REGION, half.id);
    expect(before?.state).toBe('pending');
    expect((await provider.list(LOCAL_REGION, { tenant: r.tags.tenant })).map((m) => m.id)).toEqual([half.id]);

    const done = await provider.create(r);
    expect(done).toMatchObject({ id: half.id, state: 'running', privateIp: half.address, tags: r.tags });
    expect(await engineOf(done).ping()).toBeTruthy();
    // once more: the same machine, the same engine
    const again = await provider.create(r);
    expect(again).toMatchObject({ id: half.id, state: 'running' });
    expect(again.extra.dockerdPid).toBe(done.extra.dockerdPid);

    await provider.delete(LOCAL_REGION, done.id);
    expect(await provider.observe(LOCAL_REGION, done.id)).toBeUndefined();
    expect(leftovers()).toEqual({ netns: [], processes: [], veths: [], mounts: [] });
  }, 60_000);

  it('reports a machine whose engine died as stopped', async () => {
    const m = await create(req());
    process.kill(m.extra.dockerdPid as number, 'SIGKILL');
    const stopped = await until(
      async () => ((await provider.observe(LOCAL_REGION, m.id))?.state === 'stopped' ? true : undefined),
      10_000,
      'the stopped state',
    );
    expect(stopped).toBe(true);
    // a delete after a crash still leaves nothing behind (containerd survived its engine: killed too)
    await provider.delete(LOCAL_REGION, m.id);
    expect(leftovers()).toEqual({ netns: [], processes: [], veths: [], mounts: [] });
  }, 60_000);

  it('refuses hostile tokens and tags as invalid and creates nothing; the same request made clean goes through', async () => {
    const netnsBefore = ip('netns', 'list');
    const hostile = ['a;touch /tmp/pwned', '../../etc/passwd', '$(id)', 'x'.repeat(65), '', 'a b', 'h\n1', 'ü'];
    const attempts = [
      ...hostile.map((clientToken) => ({ ...req(), clientToken })),
      ...hostile.map((host) => {
        const r = req();
        return { ...r, tags: { ...r.tags, host } };
      }),
      ...hostile.map((tenant) => {
        const r = req();
        return { ...r, tags: { ...r.tags, tenant } };
      }),
    ];
    for (const attempt of attempts) {
      const err = await provider.create(attempt).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).kind).toBe('invalid');
    }
    expect(await provider.list(LOCAL_REGION)).toEqual([]);
    expect(ip('netns', 'list')).toBe(netnsBefore);
    expect(existsSync('/tmp/pwned')).toBe(false);
    expect(() => localProvider({ stateDir, registry: '1.2.3.4:5000 --debug' })).toThrow(ProviderError);
    expect(() => localProvider({ stateDir, bridge: 'a-bridge-name-too-long' })).toThrow(ProviderError);

    // the positive control: the first attempt with a clean token
    const clean = { ...(attempts[0] as ReturnType<typeof req>), clientToken: `clean-${RUN}` };
    const made = await create(clean);
    expect(made.state).toBe('running');
    await provider.delete(LOCAL_REGION, made.id);
  }, 60_000);
});
