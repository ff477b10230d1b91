import { type Kysely, sql } from 'kysely';

/**
 * Broker mode (the agentless option): one broker per datacenter drives that datacenter's hosts over SSH, and the
 * hosts run no agent of their own (only sshd and dockerd).
 *
 * `brokers`: tenant-owned (a tenant reads its brokers here, never through the platform-only agents table). A broker
 * registers once with its one-time token (stored hashed, cleared when used), is bound to the agent it became
 * (`agent_id`), and reports the public half of the SSH key it generated (`ssh_public_key`: the line the tenant adds
 * to each host's authorized_keys). `last_seen_at` is written with the broker agent's heartbeats.
 *
 * `agents.kind`: `cluster` (joined with a cluster token, runs cluster-wide commands), `host` (bound to one host),
 * `broker` (runs only `broker.*` commands addressed to it: it never claims an untargeted command).
 *
 * Hosts of provider `ssh`: where the broker reaches them (`ssh_address`, `ssh_port`, `ssh_user`), the host key it
 * pins (`ssh_host_key`, one OpenSSH public key line), the engine's socket on the host (`docker_socket`) and the
 * broker that drives them (`broker_id`). Validated by the API; they never reach a shell.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table brokers (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid primary key default gen_random_uuid(),
      cluster_id uuid not null,
      name text not null check (char_length(name) between 1 and 63),
      registration_token_hash text unique,
      registration_expires_at timestamptz,
      agent_id uuid unique references agents(id) on delete set null,
      ssh_public_key text check (ssh_public_key is null or char_length(ssh_public_key) <= 1000),
      last_seen_at timestamptz,
      created_at timestamptz not null default now(),
      unique (tenant_id, id),
      foreign key (tenant_id, cluster_id) references clusters (tenant_id, id) on delete cascade,
      check (registration_token_hash is null or registration_expires_at is not null)
    );
    create index brokers_cluster on brokers (tenant_id, cluster_id, created_at);
    alter table brokers enable row level security;
    create policy tenant_scope on brokers
      using (tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());

    alter table agents add column kind text not null default 'cluster' check (kind in ('cluster', 'host', 'broker'));
    update agents set kind = 'host' where host_id is not null;
    alter table agents add column broker_id uuid unique references brokers(id) on delete set null;

    alter table hosts drop constraint hosts_provider_check;
    alter table hosts add constraint hosts_provider_check check (provider in ('aws', 'aliyun', 'local', 'byo', 'ssh'));
    alter table hosts drop constraint hosts_check1;
    alter table hosts add constraint hosts_check1
      check (provider in ('byo', 'ssh') or (instance_type is not null and vcpus is not null and memory_mib is not null));
    alter table hosts add column ssh_address text check (ssh_address is null or char_length(ssh_address) <= 253);
    alter table hosts add column ssh_port integer check (ssh_port is null or ssh_port between 1 and 65535);
    alter table hosts add column ssh_user text check (ssh_user is null or char_length(ssh_user) <= 32);
    alter table hosts add column ssh_host_key text check (ssh_host_key is null or char_length(ssh_host_key) <= 4000);
    alter table hosts add column docker_socket text check (docker_socket is null or char_length(docker_socket) <= 200);
    alter table hosts add column broker_id uuid;
    alter table hosts add constraint hosts_broker_fkey foreign key (tenant_id, broker_id) references brokers (tenant_id, id);
    alter table hosts add constraint hosts_ssh_check check ((provider = 'ssh') = (ssh_address is not null
      and ssh_port is not null and ssh_user is not null and ssh_host_key is not null and docker_socket is not null
      and broker_id is not null));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from hosts where provider = 'ssh';
    alter table hosts drop constraint if exists hosts_ssh_check;
    alter table hosts drop constraint if exists hosts_broker_fkey;
    alter table hosts drop column if exists broker_id;
    alter table hosts drop column if exists docker_socket;
    alter table hosts drop column if exists ssh_host_key;
    alter table hosts drop column if exists ssh_user;
    alter table hosts drop column if exists ssh_port;
    alter table hosts drop column if exists ssh_address;
    alter table hosts drop constraint hosts_check1;
    alter table hosts add constraint hosts_check1
      check (provider = 'byo' or (instance_type is not null and vcpus is not null and memory_mib is not null));
    alter table hosts drop constraint hosts_provider_check;
    alter table hosts add constraint hosts_provider_check check (provider in ('aws', 'aliyun', 'local', 'byo'));
    alter table agents drop column if exists broker_id;
    alter table agents drop column if exists kind;
    drop table if exists brokers;
  `.execute(db);
}
