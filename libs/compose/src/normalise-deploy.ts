import type { ServiceSpecInput } from '@wharf/engine';
import { at, durationMs, HOUR, type ServiceContext } from './normalise-context.js';
import type { YMap, YValue } from './tree.js';
import { parseBytes, toMiB } from './units.js';
import { asInt, asMap, asNumber, asString, listOrDict, quote, stringList } from './values.js';

/*
 * `deploy` (replicas, mode, resources, update_config, restart_policy, placement, labels) and the service-level keys
 * it stands in for (`scale`, `cpus`, `mem_limit`, `mem_reservation`, `pids_limit`, `restart`, `labels`).
 */

type Spec = ServiceSpecInput;

export function deploy(ctx: ServiceContext, spec: Spec): void {
  const s = ctx.service;
  const d = asMap(s.get('deploy')) ?? new Map<string, YValue>();
  const dp = (...keys: string[]) => at(ctx, 'deploy', ...keys);
  const replicas = asInt(d.get('replicas')) ?? asInt(s.get('scale'));
  if (replicas !== undefined) {
    spec.replicas = replicas;
    ctx.origin('replicas', d.has('replicas') ? dp('replicas') : at(ctx, 'scale'));
  }
  const mode = asString(d.get('mode'));
  if (mode === 'replicated-job') spec.mode = 'job';
  else if (mode === 'global' || mode === 'global-job') {
    ctx.report.error(
      'unsupported',
      dp('mode'),
      `${dp('mode')}: mode ${quote(mode)} is not supported: use replicas (with placement.max_replicas_per_node to spread them)`,
    );
  }
  for (const key of ['endpoint_mode', 'rollback_config']) {
    if (!d.has(key)) continue;
    const why =
      key === 'rollback_config' ? 'a failed update rolls back with the update settings' : 'services are reached by their name';
    ctx.report.warn('ignored', dp(key), `${dp(key)} is ignored: ${why}`);
  }
  resources(ctx, spec, asMap(d.get('resources')));
  const update = asMap(d.get('update_config'));
  if (update) {
    const u = (k: string) => update.get(k);
    const delay = durationMs(u('delay'), dp('update_config', 'delay'), ctx.report, { max: HOUR, what: 'an update delay' });
    const monitor = durationMs(u('monitor'), dp('update_config', 'monitor'), ctx.report, {
      max: HOUR,
      what: 'the monitor period',
    });
    const order = asString(u('order'));
    const failure = asString(u('failure_action'));
    spec.update = {
      ...(asInt(u('parallelism')) !== undefined ? { parallelism: asInt(u('parallelism')) } : {}),
      ...(delay !== undefined ? { delayMs: delay } : {}),
      ...(order === 'start-first' || order === 'stop-first' ? { order } : {}),
      ...(failure === 'rollback' || failure === 'pause' || failure === 'continue' ? { failureAction: failure } : {}),
      ...(monitor !== undefined ? { monitorMs: monitor } : {}),
      ...(asNumber(u('max_failure_ratio')) !== undefined ? { maxFailureRatio: asNumber(u('max_failure_ratio')) } : {}),
    };
    ctx.origin('update', dp('update_config'));
  }
  restart(ctx, spec, asMap(d.get('restart_policy')));
  const placement = asMap(d.get('placement'));
  if (placement) {
    const constraints = stringList(placement.get('constraints'), dp('placement', 'constraints'));
    constraints.forEach((c, i) => {
      ctx.origin(`placement.constraints.${i}`, c.path);
    });
    const max = asInt(placement.get('max_replicas_per_node'));
    spec.placement = {
      constraints: constraints.map((c) => c.value.trim()),
      ...(max !== undefined ? { maxReplicasPerNode: max } : {}),
    };
    ctx.origin('placement', dp('placement'));
    if (placement.has('preferences')) {
      const p = dp('placement', 'preferences');
      ctx.report.warn('ignored', p, `${p} is ignored: tasks are spread over the nodes that fit the constraints`);
    }
  }
  const labels: [string, string][] = [];
  for (const key of ['labels', 'deploy.labels']) {
    const container = key === 'labels' ? s.get('labels') : d.get('labels');
    const base = key === 'labels' ? at(ctx, 'labels') : dp('labels');
    for (const e of listOrDict(container, base)) {
      labels.push([e.key, e.value ?? '']);
      ctx.origin(`labels.${e.key}`, e.path);
    }
  }
  spec.labels = Object.fromEntries(labels);
}

function resources(ctx: ServiceContext, spec: Spec, r: YMap | undefined): void {
  const limits = asMap(r?.get('limits'));
  const reservations = asMap(r?.get('reservations'));
  const rp = (...keys: string[]) => at(ctx, 'deploy', 'resources', ...keys);
  for (const key of ['devices', 'generic_resources']) {
    if (reservations?.has(key)) {
      ctx.report.error(
        'unsupported',
        rp('reservations', key),
        `${rp('reservations', key)} is not supported: GPUs and other devices are not available`,
      );
    }
  }
  const pick = (deployValue: YValue | undefined, deployPath: string, serviceKey?: string) => {
    const own = serviceKey === undefined ? undefined : ctx.service.get(serviceKey);
    if (deployValue !== undefined && deployValue !== null) {
      if (own !== undefined) {
        const p = at(ctx, serviceKey ?? '');
        ctx.report.warn('ignored', p, `${p} is ignored: ${deployPath} is given too`);
      }
      return { value: deployValue, path: deployPath };
    }
    return own === undefined || own === null ? undefined : { value: own, path: at(ctx, serviceKey ?? '') };
  };
  const cpus = (v: { value: YValue; path: string } | undefined, field: string) => {
    const n = v && asNumber(v.value);
    if (!v || n === undefined || n === 0) return undefined;
    ctx.origin(field, v.path);
    return Math.round(n * 1000);
  };
  const memory = (v: { value: YValue; path: string } | undefined, field: string) => {
    const raw = v && (typeof v.value === 'number' || typeof v.value === 'string') ? parseBytes(v.value) : undefined;
    if (!v || raw === undefined || raw === 0) return undefined;
    ctx.origin(field, v.path);
    return toMiB(raw);
  };
  const limitCpu = cpus(pick(limits?.get('cpus'), rp('limits', 'cpus'), 'cpus'), 'resources.limits.cpuMillis');
  const limitMemory = memory(pick(limits?.get('memory'), rp('limits', 'memory'), 'mem_limit'), 'resources.limits.memoryMiB');
  const pidsAt = pick(limits?.get('pids'), rp('limits', 'pids'), 'pids_limit');
  let pids = pidsAt && asInt(pidsAt.value);
  if (pidsAt && pids !== undefined) {
    if (pids <= 0) pids = 65_536; // -1 and 0: unlimited, as far as the engine allows
    ctx.origin('resources.limits.pids', pidsAt.path);
  }
  const reserveCpu = cpus(pick(reservations?.get('cpus'), rp('reservations', 'cpus')), 'resources.reservations.cpuMillis');
  const reserveMemory = memory(
    pick(reservations?.get('memory'), rp('reservations', 'memory'), 'mem_reservation'),
    'resources.reservations.memoryMiB',
  );
  spec.resources = {
    limits: {
      ...(limitCpu !== undefined ? { cpuMillis: limitCpu } : {}),
      ...(limitMemory !== undefined ? { memoryMiB: limitMemory } : {}),
      ...(pids !== undefined ? { pids } : {}),
    },
    reservations: {
      ...(reserveCpu !== undefined ? { cpuMillis: reserveCpu } : {}),
      ...(reserveMemory !== undefined ? { memoryMiB: reserveMemory } : {}),
    },
  };
}

function restart(ctx: ServiceContext, spec: Spec, policy: YMap | undefined): void {
  if (policy) {
    const p = (k: string) => at(ctx, 'deploy', 'restart_policy', k);
    const condition = asString(policy.get('condition'));
    const delay = durationMs(policy.get('delay'), p('delay'), ctx.report, { max: HOUR, what: 'a restart delay' });
    const window = durationMs(policy.get('window'), p('window'), ctx.report, { max: 24 * HOUR, what: 'a restart window' });
    const attempts = asInt(policy.get('max_attempts'));
    spec.restart = {
      ...(condition === 'none' || condition === 'on-failure' || condition === 'any' ? { condition } : {}),
      ...(delay !== undefined ? { delayMs: delay } : {}),
      ...(attempts !== undefined ? { maxAttempts: attempts } : {}),
      ...(window !== undefined ? { windowMs: window } : {}),
    };
    ctx.origin('restart', at(ctx, 'deploy', 'restart_policy'));
    return;
  }
  const text = asString(ctx.service.get('restart'));
  if (text === undefined) return;
  const path = at(ctx, 'restart');
  ctx.origin('restart', path);
  const m = /^on-failure(?::(\d+))?$/.exec(text);
  if (text === 'no') spec.restart = { condition: 'none' };
  else if (text === 'always' || text === 'unless-stopped') spec.restart = { condition: 'any' };
  else if (m) spec.restart = { condition: 'on-failure', ...(m[1] ? { maxAttempts: Number(m[1]) } : {}) };
  else
    ctx.report.error(
      'type',
      path,
      `${path}: ${quote(text)} is not a restart policy; expected no, always, unless-stopped or on-failure[:max-retries]`,
    );
}
