/*
 * The one interface every IaaS adapter implements (aws, aliyun, local; QingCloud and UCloud next). An adapter is
 * bound to one cloud account (its credentials) and speaks for every region of it. What it returns is the provider's
 * truth, mapped onto Wharf's words: one state enum, Wharf's three tags, and the rest under `extra`.
 */

export type ProviderKind = 'aws' | 'aliyun' | 'local';

/** A machine's state as the provider reports it, on one scale for every provider. */
export type MachineState = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminating' | 'terminated' | 'unknown';

/** The tags Wharf puts on every machine it creates (`wharf:tenant`, `wharf:cluster`, `wharf:host`). */
export interface WharfTags {
  tenant: string;
  cluster: string;
  host: string;
}

export const TAG_KEYS = { tenant: 'wharf:tenant', cluster: 'wharf:cluster', host: 'wharf:host' } as const;

/** What the machine needs to become a Wharf host: install Docker, then the agent, which registers once. */
export interface HostBootstrap {
  /** The API base URL the agent registers with and polls (reachable from the machine: outbound only). */
  apiUrl: string;
  /** One-time registration token of this host. */
  registrationToken: string;
  /** Where cloud-init fetches the agent from (a tarball URL of the agent build). */
  agentPackageUrl: string;
}

export interface CreateMachineRequest {
  region: string;
  /** An availability zone of the region; the provider picks one when absent. */
  zone?: string;
  instanceType: string;
  /** The provider's image id; absent: the adapter's default Linux image of the region. */
  image?: string;
  /** Idempotency: a request repeated with the same token (a retry, a worker restarted mid-call) never makes a second machine. */
  clientToken: string;
  tags: WharfTags;
  /** The machine's name where the provider shows one. */
  name: string;
  bootstrap: HostBootstrap;
  /** Size of the system disk; absent: the adapter's default. */
  diskGiB?: number;
}

export interface Machine {
  /** The provider's id of the machine (`i-…`, an ECS instance id, a local host id). */
  id: string;
  state: MachineState;
  region: string;
  zone?: string;
  instanceType: string;
  privateIp?: string;
  publicIp?: string;
  /** Wharf's tags as read back from the provider (absent keys were not set). */
  tags: Partial<WharfTags>;
  /** ISO 8601. */
  createdAt?: string;
  /** Provider details Wharf keeps but does not interpret. */
  extra: Record<string, unknown>;
}

export interface Region {
  id: string;
  name: string;
}

export interface InstanceType {
  id: string;
  vcpus: number;
  memoryMiB: number;
}

export interface MachineImage {
  id: string;
  name: string;
}

/** Which account the credentials reached, as the provider's identity call answers (for the user to check). */
export interface AccountIdentity {
  account: string;
  /** The principal (an ARN, a RAM user or role). */
  principal?: string;
}

export interface MachineProvider {
  readonly kind: ProviderKind;
  /** Checks the credentials with the provider (AWS `GetCallerIdentity`, Aliyun `DescribeRegions`). */
  verify(): Promise<AccountIdentity>;
  regions(): Promise<Region[]>;
  instanceTypes(region: string): Promise<InstanceType[]>;
  images(region: string): Promise<MachineImage[]>;
  /** Creates the machine, or answers the one an earlier call with the same `clientToken` created. */
  create(request: CreateMachineRequest): Promise<Machine>;
  /** The machine now; undefined when the provider no longer knows it. */
  observe(region: string, id: string): Promise<Machine | undefined>;
  /** Terminates the machine; a machine already gone is not an error. */
  delete(region: string, id: string): Promise<void>;
  /** Every machine of the region carrying Wharf's tags (all pages), optionally only a tenant's or a cluster's. */
  list(region: string, filter?: Partial<Pick<WharfTags, 'tenant' | 'cluster'>>): Promise<Machine[]>;
}

/** An optional capability: providers that can firewall machines expose it (AWS security groups, Aliyun ones). */
export interface FirewallCapability {
  /** Ensures the least-privilege group for a cluster's hosts in a region; answers its id. */
  ensureHostFirewall(region: string, cluster: string): Promise<string>;
}

export function hasFirewall(provider: MachineProvider): provider is MachineProvider & FirewallCapability {
  return typeof (provider as Partial<FirewallCapability>).ensureHostFirewall === 'function';
}
