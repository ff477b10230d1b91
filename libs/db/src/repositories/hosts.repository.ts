import { isUuid, LIVE_HOST_STATES } from '@wharf/contracts';
import { sql, type Updateable } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { TenantId } from '../schema.js';
import type { HostProvider, HostRow, HostState, HostsTable } from '../schema-hosts.js';

/** What the leak sweep needs of a host a machine's tag names. */
export interface SweepHost {
  id: string;
  tenantId: TenantId;
  state: HostState;
  provider: HostProvider;
  /** The provider's account id of the host's cloud account (null: a local host, or its account was removed). */
  accountIdentity: string | null;
}

/** A host as reads answer it: never its registration token's hash. */
export type HostView = Omit<HostRow, 'registrationTokenHash'>;

export interface NewHost {
  clusterId: string;
  cloudAccountId: string | null;
  provider: HostProvider;
  region: string;
  zone: string | null;
  instanceType: string | null;
  vcpus: number | null;
  memoryMib: number | null;
  name: string;
  /** The provider's idempotency token of the create call (random, generated with the request). */
  clientToken: string;
  /**
   * SHA-256 of the host's one-time registration token, and when the token stops being accepted. Absent: the
   * workflow sets it when it creates the machine (`transition` to `creating`), since only the machine needs the token.
   */
  registrationTokenHash?: string;
  registrationExpiresAt?: Date;
  /** A brought host (`byo`, `ssh`) starts bootstrapping: there is no machine to create, only its agent to wait for. */
  state?: 'bootstrapping';
  /** An `ssh` host: where its broker reaches it and what it pins (see the brokers migration). */
  sshAddress?: string;
  sshPort?: number;
  sshUser?: string;
  sshHostKey?: string;
  dockerSocket?: string;
  brokerId?: string;
}

/** What a host's agent reported of its machine at registration (recorded where the host has nothing yet). */
export interface MachineFacts {
  privateIp?: string | undefined;
  vcpus?: number | undefined;
  memoryMib?: number | undefined;
}

/** What a workflow step records along with a state change. */
export type HostPatch = Partial<
  Pick<
    Updateable<HostsTable>,
    | 'machineId'
    | 'zone'
    | 'privateIp'
    | 'publicIp'
    | 'swarmRole'
    | 'swarmNodeId'
    | 'vcpus'
    | 'memoryMib'
    | 'instanceType'
    | 'registrationTokenHash'
    | 'registrationExpiresAt'
  >
>;

/**
 * The state machine of a host: the moves the workflow may make. `failed` is reached through `fail` (from any state
 * but the two ends); a failed host can still be cleaned up (→ terminating).
 */
export const HOST_TRANSITIONS: Readonly<Record<HostState, readonly HostState[]>> = {
  requested: ['creating', 'terminated'],
  creating: ['booting', 'terminating'],
  booting: ['bootstrapping', 'terminating'],
  bootstrapping: ['joining', 'terminating'],
  joining: ['ready', 'draining', 'terminating'],
  ready: ['draining'],
  draining: ['leaving'],
  leaving: ['terminating'],
  terminating: ['terminated'],
  terminated: [],
  failed: ['terminating'],
};

/** States in which a host's agent may still register (before the host is ready; never on the way out). */
export const HOST_REGISTRABLE_STATES: readonly HostState[] = ['requested', 'creating', 'booting', 'bootstrapping', 'joining'];

const VIEW_COLUMNS = [
  'tenantId',
  'id',
  'clusterId',
  'cloudAccountId',
  'provider',
  'region',
  'zone',
  'instanceType',
  'vcpus',
  'memoryMib',
  'name',
  'state',
  'clientToken',
  'machineId',
  'privateIp',
  'publicIp',
  'swarmRole',
  'swarmNodeId',
  'agentId',
  'registrationExpiresAt',
  'failure',
  'stateChangedAt',
  'createdAt',
  'readyAt',
  'terminatedAt',
  'lastSeenAt',
  'sshAddress',
  'sshPort',
  'sshUser',
  'sshHostKey',
  'dockerSocket',
  'brokerId',
] as const satisfies readonly (keyof HostView)[];

/** Thrown when a workflow asks for a move the state machine does not have: a bug in the caller, not a race. */
export class IllegalHostTransitionError extends Error {
  constructor(from: HostState, to: HostState) {
    super(`a host cannot move from ${from} to ${to}`);
    this.name = 'IllegalHostTransitionError';
  }
}

/**
 * Hosts of tenants' dedicated clusters. Every state change is a guarded update (`transition`, `fail`): it moves the
 * host only from the states the caller expects, so two workers racing on one host cannot both move it.
 */
export class HostsRepository {
  /** A new host in state `requested`; undefined when the cluster already has a host of that name. */
  async create(scope: TenantScope, host: NewHost): Promise<HostView | undefined> {
    return scope.trx
      .insertInto('hosts')
      .values({ ...host, tenantId: scope.tenantId })
      .onConflict((oc) => oc.columns(['clusterId', 'name']).doNothing())
      .returning(VIEW_COLUMNS)
      .executeTakeFirst();
  }

  async find(scope: TenantScope, id: string): Promise<HostView | undefined> {
    return this.base(scope).where('id', '=', id).executeTakeFirst();
  }

  /** The tenant's hosts, newest first. */
  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('createdAt', 'id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  /** Quota usage: the tenant's hosts not terminated or failed, and their vCPUs. */
  async usage(scope: TenantScope): Promise<{ hosts: number; vcpus: number }> {
    const row = await scope.trx
      .selectFrom('hosts')
      .select([sql<number>`count(*)`.as('hosts'), sql<number>`coalesce(sum(vcpus), 0)`.as('vcpus')])
      .where('tenantId', '=', scope.tenantId)
      .where('state', 'in', LIVE_HOST_STATES)
      .executeTakeFirstOrThrow();
    return { hosts: Number(row.hosts), vcpus: Number(row.vcpus) };
  }

  /** The hosts of one of the tenant's clusters, newest first, a page at a time. */
  async listPage(scope: TenantScope, clusterId: string, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .where('clusterId', '=', clusterId)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('createdAt', 'id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  /** The hosts of one of the tenant's clusters, oldest first (the first one inits the Swarm). */
  async listForCluster(scope: TenantScope, clusterId: string): Promise<HostView[]> {
    return this.base(scope).where('clusterId', '=', clusterId).orderBy('createdAt').orderBy('id').execute();
  }

  /**
   * Moves the host to `to` if it is in one of `from`, recording `patch` with it; undefined when the host is in
   * another state (or not the tenant's): the step was done already, or another worker moved the host meanwhile.
   * Asking for a move the state machine does not have (`HOST_TRANSITIONS`) throws.
   */
  async transition(
    scope: TenantScope,
    id: string,
    from: readonly HostState[],
    to: Exclude<HostState, 'failed'>,
    patch: HostPatch = {},
  ): Promise<HostView | undefined> {
    if (from.length === 0) return undefined;
    for (const f of from) if (!HOST_TRANSITIONS[f].includes(to)) throw new IllegalHostTransitionError(f, to);
    const leaving = to === 'terminating' || to === 'terminated';
    return scope.trx
      .updateTable('hosts')
      .set({
        ...patch,
        state: to,
        stateChangedAt: sql<Date>`now()`,
        ...(to === 'ready' ? { readyAt: sql<Date>`now()` } : {}),
        ...(to === 'terminated' ? { terminatedAt: sql<Date>`now()` } : {}),
        // a host on its way out admits no agent any more
        ...(leaving ? { registrationTokenHash: null, registrationExpiresAt: null } : {}),
      })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('state', 'in', from)
      .returning(VIEW_COLUMNS)
      .executeTakeFirst();
  }

  /** Records what a step learnt without moving the host (a promotion to manager), if it is in one of `states`. */
  async record(scope: TenantScope, id: string, states: readonly HostState[], patch: HostPatch): Promise<HostView | undefined> {
    return scope.trx
      .updateTable('hosts')
      .set(patch)
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('state', 'in', states)
      .returning(VIEW_COLUMNS)
      .executeTakeFirst();
  }

  /**
   * Ends the host in `failed` with the reason, from any state but `terminated` and `failed` (the first failure's
   * reason is kept); undefined otherwise. Its registration token stops working.
   */
  async fail(scope: TenantScope, id: string, reason: string): Promise<HostView | undefined> {
    return scope.trx
      .updateTable('hosts')
      .set({
        state: 'failed',
        failure: reason,
        stateChangedAt: sql<Date>`now()`,
        registrationTokenHash: null,
        registrationExpiresAt: null,
      })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('state', 'in', LIVE_HOST_STATES)
      .returning(VIEW_COLUMNS)
      .executeTakeFirst();
  }

  /**
   * Agent registration: uses up a host's registration token. Answers the host it admits to, or undefined when the
   * token is unknown, used, expired, or its host is ready or on its way out.
   */
  async consumeRegistrationToken(
    scope: PlatformScope,
    tokenHash: string,
  ): Promise<{ tenantId: TenantId; id: string; clusterId: string } | undefined> {
    return scope.trx
      .updateTable('hosts')
      .set({ registrationTokenHash: null, registrationExpiresAt: null })
      .where('registrationTokenHash', '=', tokenHash)
      .where('registrationExpiresAt', '>', new Date())
      .where('state', 'in', HOST_REGISTRABLE_STATES)
      .returning(['tenantId', 'id', 'clusterId'])
      .executeTakeFirst();
  }

  /**
   * Binds the agent that registered for the host; a host that was bootstrapping is now joining (in any other state
   * it stays where it is: the workflow's own step moves it). What the agent reported of its machine fills what the
   * host does not know yet (a brought host's address and size; a created machine's stay as the provider said).
   */
  async bindAgent(scope: PlatformScope, id: string, agentId: string, facts: MachineFacts = {}): Promise<HostView | undefined> {
    return scope.trx
      .updateTable('hosts')
      .set({
        agentId,
        state: sql<HostState>`case when state = 'bootstrapping' then 'joining' else state end`,
        stateChangedAt: sql<Date>`case when state = 'bootstrapping' then now() else state_changed_at end`,
        privateIp: sql<string | null>`coalesce(private_ip, ${facts.privateIp ?? null}::text)`,
        vcpus: sql<number | null>`coalesce(vcpus, ${facts.vcpus || null}::integer)`,
        memoryMib: sql<number | null>`coalesce(memory_mib, ${facts.memoryMib || null}::integer)`,
      })
      .where('id', '=', id)
      .returning(VIEW_COLUMNS)
      .executeTakeFirst();
  }

  /**
   * A brought host's one-time install token (hash and expiry), replacing any earlier one, while it still waits for
   * its agent. Its bootstrap deadline restarts with it (`stateChangedAt`). Undefined: not such a host (any more).
   */
  async issueInstallToken(scope: TenantScope, id: string, tokenHash: string, expiresAt: Date): Promise<HostView | undefined> {
    return scope.trx
      .updateTable('hosts')
      .set({ registrationTokenHash: tokenHash, registrationExpiresAt: expiresAt, stateChangedAt: sql<Date>`now()` })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('provider', '=', 'byo')
      .where('state', '=', 'bootstrapping')
      .where('agentId', 'is', null)
      .returning(VIEW_COLUMNS)
      .executeTakeFirst();
  }

  /**
   * Serving a brought host's install script: its install token (good for one fetch) is swapped for the registration
   * token the script hands the agent, with a fresh expiry. Answers the host, or undefined when the token is unknown,
   * used or expired, or its host no longer waits for an agent.
   */
  async exchangeInstallToken(
    scope: PlatformScope,
    tokenHash: string,
    registrationTokenHash: string,
    expiresAt: Date,
  ): Promise<{ tenantId: TenantId; id: string } | undefined> {
    return scope.trx
      .updateTable('hosts')
      .set({ registrationTokenHash, registrationExpiresAt: expiresAt })
      .where('registrationTokenHash', '=', tokenHash)
      .where('registrationExpiresAt', '>', new Date())
      .where('provider', '=', 'byo')
      .where('state', '=', 'bootstrapping')
      .where('agentId', 'is', null)
      .returning(['tenantId', 'id'])
      .executeTakeFirst();
  }

  /**
   * The leak sweep: the hosts (of any tenant) that machines' `wharf:host` tags name, with the provider and the
   * provider's account id (`identity_account`) of each host's cloud account, if it still has one. Ids that are not
   * uuids name no host and are not asked for.
   */
  async sweepLookup(scope: PlatformScope, hostIds: readonly string[]): Promise<SweepHost[]> {
    const ids = [...new Set(hostIds)].filter(isUuid);
    if (ids.length === 0) return [];
    return scope.trx
      .selectFrom('hosts as h')
      .leftJoin('cloudAccounts as a', (j) => j.onRef('a.tenantId', '=', 'h.tenantId').onRef('a.id', '=', 'h.cloudAccountId'))
      .select(['h.id', 'h.tenantId', 'h.state', 'h.provider', 'a.identityAccount as accountIdentity'])
      .where('h.id', 'in', ids)
      .execute();
  }

  private base(scope: TenantScope) {
    return scope.trx.selectFrom('hosts').select(VIEW_COLUMNS).where('tenantId', '=', scope.tenantId);
  }
}
