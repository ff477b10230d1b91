import { describe, expect, it } from 'vitest';
import { diffServiceSpec } from './diff.js';
import { LABEL_APP, LABEL_DEPLOYMENT, LABEL_ENVIRONMENT, LABEL_MANAGED_BY, LABEL_SERVICE, LABEL_TENANT } from './labels.js';
import type { ServiceSpecInput } from './model.js';
import { environmentNetworkName, secretName, serviceName, volumeName } from './names.js';
import { type RenderContext, RenderError, toSwarmNetwork, toSwarmSecret, toSwarmService, withObjectIds } from './swarm.js';

const TENANT = '0b6f2a4e-8d1c-4f5a-9b7e-3c2d1e0f9a8b';
const ctx: RenderContext = { tenantId: TENANT, app: 'shop', environment: 'production', deploymentId: 'dep-1' };
const web: ServiceSpecInput = {
  name: 'web',
  image: '127.0.0.1:5000/shop/web:1.2',
  command: ['httpd', '-f', '-p', '8080'],
  env: { B: '2', A: '1=one' },
  ports: [{ containerPort: 8080, http: true }, { containerPort: 9090 }],
  replicas: 3,
  resources: { limits: { cpuMillis: 250, memoryMiB: 128, pids: 100 }, reservations: { cpuMillis: 100, memoryMiB: 64 } },
  healthcheck: { type: 'http', path: '/healthz', intervalMs: 2000, timeoutMs: 1500, startPeriodMs: 500, retries: 2 },
  placement: { maxReplicasPerNode: 1 },
  volumes: [{ source: 'data', target: '/data' }],
};

describe('toSwarmService', () => {
  const spec = toSwarmService(ctx, web);
  const c = spec.TaskTemplate.ContainerSpec;

  it('routes without ingress or VIPs: dnsrr, host-mode ports without a published number', () => {
    expect(spec.EndpointSpec.Mode).toBe('dnsrr');
    expect(spec.EndpointSpec.Ports).toEqual([{ Protocol: 'tcp', TargetPort: 8080, PublishMode: 'host' }]);
    for (const p of spec.EndpointSpec.Ports ?? []) expect(p).not.toHaveProperty('PublishedPort');
    const published = toSwarmService(ctx, {
      ...web,
      ports: [
        { containerPort: 8080, http: true },
        { containerPort: 9090, publish: true },
      ],
    });
    expect(published.EndpointSpec.Ports?.map((p) => p.TargetPort)).toEqual([8080, 9090]);
  });

  it('rolls out start-first and rolls back on failure', () => {
    expect(spec.UpdateConfig).toMatchObject({ Order: 'start-first', FailureAction: 'rollback', Parallelism: 1, Monitor: 15e9 });
    expect(spec.RollbackConfig).toMatchObject({ Order: 'start-first', FailureAction: 'pause' });
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 3 } });
  });

  it('runs unprivileged with converted limits', () => {
    expect(c.Privileges).toEqual({ NoNewPrivileges: true });
    expect(c.Init).toBe(true);
    expect(spec.TaskTemplate.Resources).toEqual({
      Limits: { NanoCPUs: 250_000_000, MemoryBytes: 128 * 1024 * 1024, Pids: 100 },
      Reservations: { NanoCPUs: 100_000_000, MemoryBytes: 64 * 1024 * 1024 },
    });
    expect(spec.TaskTemplate.Placement).toEqual({ MaxReplicas: 1 });
  });

  it('passes argv and env without a shell', () => {
    expect(c.Image).toBe('127.0.0.1:5000/shop/web:1.2');
    expect(c.Args).toEqual(['httpd', '-f', '-p', '8080']);
    expect(c).not.toHaveProperty('Command');
    expect(c.Env).toEqual(['A=1=one', 'B=2']);
    expect(JSON.stringify(spec)).not.toContain('CMD-SHELL');
  });

  it('converts the health check to nanoseconds with an exec-form HTTP probe', () => {
    expect(c.Healthcheck).toEqual({
      Test: ['CMD', 'wget', '-q', '-O', '/dev/null', '-T', '2', 'http://127.0.0.1:8080/healthz'],
      Interval: 2_000_000_000,
      Timeout: 1_500_000_000,
      StartPeriod: 500_000_000,
      Retries: 2,
    });
    const custom = toSwarmService(ctx, {
      ...web,
      healthcheck: { type: 'http', path: '/up', probe: ['/probe', '--port={port}'] },
    });
    expect(custom.TaskTemplate.ContainerSpec.Healthcheck?.Test).toEqual(['CMD', '/probe', '--port=8080']);
    const cmd = toSwarmService(ctx, { ...web, healthcheck: { type: 'command', command: ['pg_isready'] } });
    expect(cmd.TaskTemplate.ContainerSpec.Healthcheck?.Test).toEqual(['CMD', 'pg_isready']);
    expect(toSwarmService(ctx, { ...web, healthcheck: { type: 'none' } }).TaskTemplate.ContainerSpec.Healthcheck).toEqual({
      Test: ['NONE'],
    });
  });

  it('labels the service and its containers', () => {
    const expected = {
      [LABEL_MANAGED_BY]: 'wharf',
      [LABEL_TENANT]: TENANT,
      [LABEL_APP]: 'shop',
      [LABEL_ENVIRONMENT]: 'production',
      [LABEL_SERVICE]: 'web',
      [LABEL_DEPLOYMENT]: 'dep-1',
    };
    expect(spec.Labels).toMatchObject(expected);
    expect(c.Labels).toMatchObject(expected);
  });

  it('attaches the environment network with the service name as alias, and named volumes only', () => {
    expect(spec.Name).toBe(serviceName(ctx, 'web'));
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: environmentNetworkName(ctx), Aliases: ['web'] }]);
    expect(c.Mounts).toMatchObject([{ Type: 'volume', Source: volumeName(ctx, 'data'), Target: '/data', ReadOnly: false }]);
  });

  it('references secrets by their content-addressed name and needs their ids from the agent', () => {
    const name = secretName(ctx, 'db', 's3cret');
    const withSecret = { ...web, secrets: { db: 'db_password' } };
    expect(() => toSwarmService(ctx, withSecret)).toThrow(RenderError);
    const rendered = toSwarmService({ ...ctx, secrets: { db: name } }, withSecret);
    expect(rendered.TaskTemplate.ContainerSpec.Secrets).toEqual([
      { File: { Name: 'db_password', UID: '0', GID: '0', Mode: 0o444 }, SecretName: name },
    ]);
    expect(withObjectIds(rendered, { secrets: { [name]: 'abc123' } }).TaskTemplate.ContainerSpec.Secrets?.[0]?.SecretID).toBe(
      'abc123',
    );
    expect(() => withObjectIds(rendered, {})).toThrow(RenderError);
    const secret = toSwarmSecret(ctx, 'db', 's3cret');
    expect(secret.Name).toBe(name);
    expect(Buffer.from(secret.Data, 'base64').toString()).toBe('s3cret');
    expect(secret.Labels[LABEL_TENANT]).toBe(TENANT);
  });

  it('refuses an invalid service instead of rendering it', () => {
    expect(() => toSwarmService(ctx, { ...web, image: 'nginx' })).toThrow();
  });

  it('renders a job without the update config the engine refuses (and then echoes), restarting only on failure', () => {
    const job = toSwarmService(ctx, { ...web, name: 'migrate', mode: 'job', replicas: 1 });
    expect(job.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });
    expect(job).not.toHaveProperty('UpdateConfig');
    // what Docker 20.10 echoes for a job created without one: reading it back must not look like a change
    const echoed = { Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' };
    expect(diffServiceSpec({ ...job, UpdateConfig: echoed, RollbackConfig: echoed }, job).needsUpdate).toBe(false);
    expect(job.TaskTemplate.RestartPolicy.Condition).toBe('on-failure');
  });

  it('renders aliases, extra hosts, tmpfs, capabilities and the container options', () => {
    const s = toSwarmService(ctx, {
      ...web,
      aliases: ['database'],
      extraHosts: [{ host: 'upstream', ip: '10.1.2.3' }],
      tmpfs: [{ target: '/tmp', sizeMiB: 8 }],
      capAdd: ['NET_BIND_SERVICE'],
      capDrop: ['ALL'],
      user: '1000:1000',
      workingDir: '/srv',
      readOnlyRootfs: true,
      stopSignal: 'SIGINT',
    }).TaskTemplate;
    expect(s.Networks[0]).toEqual({ Target: environmentNetworkName(ctx), Aliases: ['web', 'database'] });
    expect(s.ContainerSpec).toMatchObject({
      Hosts: ['10.1.2.3 upstream'],
      CapabilityAdd: ['CAP_NET_BIND_SERVICE'],
      CapabilityDrop: ['ALL'],
      User: '1000:1000',
      Dir: '/srv',
      ReadOnly: true,
      StopSignal: 'SIGINT',
    });
    expect(s.ContainerSpec.Mounts).toContainEqual({
      Type: 'tmpfs',
      Target: '/tmp',
      TmpfsOptions: { SizeBytes: 8 * 1024 * 1024 },
    });
  });

  it('joins another app’s environment network for a binding, and the host network when allowed', () => {
    const stack = {
      networks: { 'bind-x': { internal: false, labels: {}, environmentOf: { app: 'db', environment: 'staging' } } },
    };
    const bound = toSwarmService(ctx, { ...web, networks: ['bind-x'] }, stack);
    expect(bound.TaskTemplate.Networks[1]).toEqual({
      Target: environmentNetworkName({ tenantId: TENANT, app: 'db', environment: 'staging' }),
      Aliases: ['web'],
    });
    const host = toSwarmService(ctx, { ...web, host: { network: true, sysctls: { 'net.core.somaxconn': '1024' } } });
    expect(host.TaskTemplate.Networks).toEqual([{ Target: 'host' }]);
    expect(host.TaskTemplate.ContainerSpec.Sysctls).toEqual({ 'net.core.somaxconn': '1024' });
  });
});

describe('toSwarmNetwork', () => {
  it('is a non-attachable overlay per tenant environment, labelled', () => {
    const net = toSwarmNetwork(ctx);
    expect(net).toMatchObject({ Name: environmentNetworkName(ctx), Driver: 'overlay', Attachable: false, Internal: false });
    expect(net.Labels).toMatchObject({ [LABEL_TENANT]: TENANT, [LABEL_ENVIRONMENT]: 'production' });
    expect(toSwarmNetwork(ctx, { name: 'back', spec: { internal: true, labels: {} } }).Internal).toBe(true);
  });
});

describe('diffServiceSpec', () => {
  const desired = toSwarmService(ctx, web);
  // What the engine returns: our spec with network ids, engine-filled fields and the CLI's pinned digest.
  const fromEngine = () => {
    const c = structuredClone(desired) as unknown as {
      TaskTemplate: Record<string, unknown> & { ContainerSpec: Record<string, unknown>; Networks: { Target: string }[] };
    };
    c.TaskTemplate.ContainerSpec.Isolation = 'default';
    c.TaskTemplate.ContainerSpec.Image = `${desired.TaskTemplate.ContainerSpec.Image}@sha256:${'b'.repeat(64)}`;
    c.TaskTemplate.Runtime = 'container';
    c.TaskTemplate.ForceUpdate = 0;
    for (const n of c.TaskTemplate.Networks) n.Target = 'netid123';
    return c;
  };
  const networkIds = { [environmentNetworkName(ctx)]: 'netid123' };

  it('does not update a service for a new deployment that changes nothing else of it', () => {
    const next = toSwarmService({ ...ctx, deploymentId: 'dep-2' }, web);
    expect(diffServiceSpec(toSwarmService(ctx, web), next).needsUpdate).toBe(false);
  });

  it('is a no-op when nothing we own changed', () => {
    expect(diffServiceSpec(structuredClone(desired), desired)).toEqual({ needsUpdate: false, changed: [] });
    expect(diffServiceSpec(fromEngine(), desired, { networkIds })).toEqual({ needsUpdate: false, changed: [] });
  });

  it('wants an update when the image, replicas, env or network change', () => {
    const image = toSwarmService(ctx, { ...web, image: '127.0.0.1:5000/shop/web:1.3' });
    expect(diffServiceSpec(fromEngine(), image, { networkIds })).toEqual({
      needsUpdate: true,
      changed: ['TaskTemplate.ContainerSpec.Image'],
    });
    const scaled = toSwarmService(ctx, { ...web, replicas: 1 });
    expect(diffServiceSpec(fromEngine(), scaled, { networkIds }).changed).toEqual(['Mode.Replicated.Replicas']);
    const env = toSwarmService(ctx, { ...web, env: { A: '1=one' } });
    expect(diffServiceSpec(fromEngine(), env, { networkIds }).needsUpdate).toBe(true);
    expect(diffServiceSpec(fromEngine(), desired, { networkIds: {} }).changed).toEqual(['TaskTemplate.Networks']);
  });

  it('notices what was added or removed behind our back', () => {
    const current = fromEngine();
    current.TaskTemplate.ContainerSpec.Command = ['/bin/sh'];
    expect(diffServiceSpec(current, desired, { networkIds }).changed).toEqual(['TaskTemplate.ContainerSpec.Command']);
  });

  it('does not chase a field an older engine drops', () => {
    const current = fromEngine();
    current.TaskTemplate.ContainerSpec.Privileges = {};
    expect(diffServiceSpec(current, desired, { networkIds }).changed).toEqual([
      'TaskTemplate.ContainerSpec.Privileges.NoNewPrivileges',
    ]);
    expect(diffServiceSpec(current, desired, { networkIds, apiVersion: '1.41' }).needsUpdate).toBe(false);
    expect(diffServiceSpec(current, desired, { networkIds, apiVersion: '1.47' }).needsUpdate).toBe(true);
  });
});
