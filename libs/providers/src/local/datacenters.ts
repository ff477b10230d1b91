import { ProviderError } from '../errors.js';
import type { CreateMachineRequest, Machine, MachineProvider, Region, WharfTags } from '../types.js';
import { LOCAL_REGION, type LocalProvider, type LocalProviderOptions, localProvider } from './local.provider.js';

/*
 * The embedded provider's datacenters: each a region of its own, with its own bridge and subnet (and so its own
 * local provider), with no route between them. An isolated one is a datacenter the control plane cannot dial into:
 * its hosts are driven only through their agents' outbound connections. One provider over all of them, so the API,
 * the host workflow and the leak sweep see the local provider as they see a cloud with regions.
 */

/** One datacenter, as configured (`HOSTS_LOCAL_DATACENTERS`). */
export interface LocalDatacenter {
  region: string;
  bridge: string;
  /** An a.b.c.0/24 network. */
  subnet: string;
  /** The registry the datacenter's engines pull from (plain HTTP), reachable from its bridge. */
  registry?: string;
  isolated?: boolean;
  /** Default: `<the default datacenter's state directory>-<region>`. */
  stateDir?: string;
}

export interface LocalDatacenters extends MachineProvider {
  readonly kind: 'local';
  /** The provider of one datacenter. */
  datacenter(region: string): LocalProvider | undefined;
  /** Every datacenter's provider, the default one first. */
  all(): LocalProvider[];
  /** Every machine of every datacenter deleted, and what the providers added to the host's network. */
  destroyAll(): Promise<void>;
}

const FIELDS = new Set(['region', 'bridge', 'subnet', 'registry', 'isolated', 'stateDir']);

/**
 * Reads the JSON list of extra datacenters (`[{"region":"dc-a","bridge":"wharfdca","subnet":"10.214.1.0/24",
 * "isolated":true}]`); the names are checked again by each provider. Throws an Error that says what is wrong.
 */
export function parseLocalDatacenters(json: string): LocalDatacenter[] {
  if (json.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('the local datacenters are not JSON');
  }
  if (!Array.isArray(value)) throw new Error('the local datacenters are a JSON list');
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) throw new Error(`datacenter ${i} is not an object`);
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) throw new Error(`datacenter ${i}: unknown field ${unknown.join(', ')}`);
    const text = (k: string, required: boolean): string | undefined => {
      const v = e[k];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || v === '') throw new Error(`datacenter ${i}: ${k} must be a non-empty string`);
      return v;
    };
    if (e.isolated !== undefined && typeof e.isolated !== 'boolean')
      throw new Error(`datacenter ${i}: isolated is true or false`);
    const registry = text('registry', false);
    const stateDir = text('stateDir', false);
    return {
      region: text('region', true) as string,
      bridge: text('bridge', true) as string,
      subnet: text('subnet', true) as string,
      ...(registry ? { registry } : {}),
      ...(e.isolated === true ? { isolated: true } : {}),
      ...(stateDir ? { stateDir } : {}),
    };
  });
}

/** The regions of the local provider with these extra datacenters (what the API admits hosts to). */
export function localRegions(extra: readonly LocalDatacenter[]): Region[] {
  return [
    { id: LOCAL_REGION, name: 'This machine' },
    ...extra.map((dc) => ({ id: dc.region, name: `This machine: ${dc.region}` })),
  ];
}

/**
 * The default datacenter (`local`, from `base`) and the extra ones, each a local provider; regions, bridges and
 * subnets must all differ.
 */
export function localDatacenters(base: LocalProviderOptions, extra: readonly LocalDatacenter[]): LocalDatacenters {
  const providers = new Map<string, LocalProvider>();
  const add = (p: LocalProvider, subnet: string) => {
    const clash = [...providers.values()].find((q) => q.region === p.region || q.bridge === p.bridge);
    if (clash) throw invalid(`datacenters ${clash.region} and ${p.region} share a region or a bridge`);
    if ([...providers.values()].some((q) => q.gateway === p.gateway)) throw invalid(`subnet ${subnet} is used twice`);
    providers.set(p.region, p);
  };
  add(localProvider({ ...base, region: base.region ?? LOCAL_REGION }), base.subnet ?? '');
  for (const dc of extra) {
    const { region, bridge, subnet, registry, isolated, stateDir } = dc;
    add(
      localProvider({
        ...base,
        region,
        bridge,
        subnet,
        stateDir: stateDir ?? `${base.stateDir}-${region}`,
        isolated: isolated ?? false,
        ...(registry ? { registry } : { registry: undefined }),
      }),
      subnet,
    );
  }

  const of = (region: string): LocalProvider => {
    const p = providers.get(region);
    if (!p) throw invalid(`unknown region ${region} (the local provider has ${[...providers.keys()].join(', ')})`);
    return p;
  };
  const all = [...providers.values()];
  const first = all[0] as LocalProvider;

  const datacenters: LocalDatacenters = {
    kind: 'local',
    datacenter: (region) => providers.get(region),
    all: () => [...all],
    verify: () => first.verify(),
    regions: async () => (await Promise.all(all.map((p) => p.regions()))).flat(),
    instanceTypes: (region) => of(region).instanceTypes(region),
    images: (region) => of(region).images(region),
    create: (request: CreateMachineRequest): Promise<Machine> => of(request.region).create(request),
    observe: async (region, id) => providers.get(region)?.observe(region, id),
    delete: async (region, id) => providers.get(region)?.delete(region, id),
    list: async (region, filter?: Partial<Pick<WharfTags, 'tenant' | 'cluster'>>) =>
      (await providers.get(region)?.list(region, filter)) ?? [],
    async destroyAll() {
      const failures = (await Promise.allSettled(all.map((p) => p.destroyAll()))).filter((r) => r.status === 'rejected');
      if (failures[0]) throw failures[0].reason;
    },
  };
  return datacenters satisfies MachineProvider;
}

function invalid(message: string): ProviderError {
  return new ProviderError('invalid', message, 'LocalInvalidParameter');
}
