import { type Kysely, sql } from 'kysely';

/**
 * Hosts of a tenant's dedicated clusters: machines Wharf creates on the tenant's cloud accounts (`aws`, `aliyun`),
 * on the local engine's provider (`local`), or that the tenant brings (`byo`). Every step of a host's provisioning
 * is a state here (requested → creating → booting → bootstrapping → joining → ready; draining → leaving →
 * terminating → terminated on the way out; `failed` with its reason), so a worker that resumes a dropped job reads
 * where the last one stopped. `client_token` is the provider's idempotency token, fixed at request time: a create
 * call repeated after a crash answers the machine the first call made.
 *
 * A host's agent registers once with the host's one-time registration token (stored hashed, cleared when used)
 * and is bound to it (`agents.host_id`); commands can be addressed to one agent (`agent_commands.agent_id`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- a host's cluster must be a dedicated cluster of the host's own tenant (composite foreign key below)
    alter table clusters add constraint clusters_tenant_id_id_key unique (tenant_id, id);

    create table hosts (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid primary key default gen_random_uuid(),
      cluster_id uuid not null,
      cloud_account_id uuid,
      provider text not null check (provider in ('aws', 'aliyun', 'local', 'byo')),
      region text not null check (char_length(region) between 1 and 100),
      zone text,
      instance_type text,
      vcpus integer check (vcpus > 0),
      memory_mib integer check (memory_mib > 0),
      name text not null check (char_length(name) between 1 and 63),
      state text not null default 'requested' check (state in ('requested', 'creating', 'booting', 'bootstrapping',
        'joining', 'ready', 'draining', 'leaving', 'terminating', 'terminated', 'failed')),
      client_token text not null unique,
      machine_id text,
      private_ip text,
      public_ip text,
      swarm_role text check (swarm_role in ('manager', 'worker')),
      swarm_node_id text,
      agent_id uuid unique,
      registration_token_hash text unique,
      registration_expires_at timestamptz,
      failure text,
      state_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      ready_at timestamptz,
      terminated_at timestamptz,
      unique (cluster_id, name),
      foreign key (tenant_id, cluster_id) references clusters (tenant_id, id),
      foreign key (tenant_id, cloud_account_id) references cloud_accounts (tenant_id, id),
      -- machines on a cloud are reached through one of the tenant's accounts; local and brought hosts need none
      check ((provider in ('aws', 'aliyun')) = (cloud_account_id is not null)),
      -- a machine Wharf creates has a known size; a brought host's size comes from its agent
      check (provider = 'byo' or (instance_type is not null and vcpus is not null and memory_mib is not null)),
      check (registration_token_hash is null or registration_expires_at is not null),
      check (state <> 'failed' or failure is not null)
    );
    create index hosts_page on hosts (tenant_id, created_at desc, id desc);
    create index hosts_cluster_state on hosts (cluster_id, state);
    -- the leak sweep: machines Wharf knows of, per account and region
    create index hosts_machines on hosts (provider, cloud_account_id, region) where machine_id is not null and state <> 'terminated';
    alter table hosts enable row level security;
    create policy tenant_scope on hosts
      using (tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());

    -- an agent that registered for one host (an embedded or cluster-token agent has none)
    alter table agents add column host_id uuid unique references hosts(id) on delete set null;
    alter table hosts add constraint hosts_agent_id_fkey foreign key (agent_id) references agents(id) on delete set null;

    -- a command addressed to one agent (null: any agent of the cluster allowed to run cluster-wide commands)
    alter table agent_commands add column agent_id uuid references agents(id) on delete cascade;
    create index agent_commands_open_agent on agent_commands (agent_id, seq)
      where agent_id is not null and state in ('pending', 'delivered');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table agent_commands drop column if exists agent_id;
    alter table hosts drop constraint if exists hosts_agent_id_fkey;
    alter table agents drop column if exists host_id;
    drop table if exists hosts;
    alter table clusters drop constraint if exists clusters_tenant_id_id_key;
  `.execute(db);
}
