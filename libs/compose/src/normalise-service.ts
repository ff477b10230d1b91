import { normaliseImage, type ServiceSpecInput } from '@wharf/engine';
import { pendingBuildImage } from './normalise-build.js';
import { at, durationMs, HOUR, type ServiceContext } from './normalise-context.js';
import { deploy } from './normalise-deploy.js';
import { ports } from './normalise-ports.js';
import { capabilityName, ruleEnforced, SAFE_CAPABILITIES } from './policy.js';
import type { Report } from './report.js';
import { shellSplit } from './shell-words.js';
import { parseExtraHost, unbracket } from './syntax.js';
import { childPath, isMap, isSeq, type YValue } from './tree.js';
import { asBool, asInt, asMap, asString, listOrDict, quote, stringList } from './values.js';

/*
 * One compose service → the engine's service model: image, command, environment, health check and the plain
 * per-container settings; ports, deploy settings, mounts and links are in modules of their own.
 */

type Spec = ServiceSpecInput;

/** Engine fields that are lists or records → the compose key they come from (for issues about the whole field). */
const FIELD_KEYS: Record<string, string> = {
  env: 'environment',
  ports: 'ports',
  volumes: 'volumes',
  tmpfs: 'tmpfs',
  secrets: 'secrets',
  configs: 'configs',
  networks: 'networks',
  dependsOn: 'depends_on',
  extraHosts: 'extra_hosts',
  capAdd: 'cap_add',
  capDrop: 'cap_drop',
  labels: 'labels',
  resources: 'deploy',
};

export function normaliseService(ctx: ServiceContext): Spec {
  const s = ctx.service;
  for (const [field, key] of Object.entries(FIELD_KEYS)) {
    if (s.has(key)) ctx.origin(field, at(ctx, key));
  }
  const spec: Spec = { name: ctx.name, image: image(ctx) };
  for (const key of ['command', 'entrypoint'] as const) {
    const argv = commandLine(s.get(key), at(ctx, key), ctx.report);
    if (argv !== undefined) {
      spec[key] = argv;
      ctx.origin(key, at(ctx, key));
    }
  }
  spec.env = environment(ctx);
  spec.ports = ports(ctx);
  const healthcheck = healthCheck(ctx);
  if (healthcheck) spec.healthcheck = healthcheck;
  deploy(ctx, spec);
  plain(ctx, spec);
  return spec;
}

function image(ctx: ServiceContext): string {
  if (ctx.service.has('build')) {
    // a service that builds runs its build's image (its `image:` only names it, for compose's own use)
    ctx.origin('image', at(ctx, 'build'));
    return ctx.builtImages[ctx.name] ?? pendingBuildImage(ctx.name);
  }
  const raw = asString(ctx.service.get('image'));
  if (raw === undefined) {
    // an image of the wrong type was reported by validation
    if (ctx.service.has('image')) ctx.origin('image', at(ctx, 'image'));
    else ctx.report.error('type', ctx.base, `${ctx.base}: give the service an "image", or a "build" from the app's repository`);
    return '';
  }
  ctx.origin('image', at(ctx, 'image'));
  return raw.trim() === '' ? '' : normaliseImage(raw.trim());
}

/** A command as an argument vector: a string is split into words like a shell would, without expanding anything. */
export function commandLine(v: YValue | undefined, path: string, report: Report): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (isSeq(v)) return v.map((item) => asString(item)).filter((x): x is string => x !== undefined);
  const text = asString(v);
  if (text === undefined) return undefined;
  const words = shellSplit(text);
  if (!words.ok) {
    report.error('type', path, `${path}: cannot split ${quote(text)} into words: ${words.message}`);
    return undefined;
  }
  return words.words;
}

function environment(ctx: ServiceContext): Record<string, string> {
  const entries: [string, string][] = [];
  for (const e of listOrDict(ctx.service.get('environment'), at(ctx, 'environment'))) {
    const value = e.value ?? (Object.hasOwn(ctx.variables, e.key) ? ctx.variables[e.key] : undefined);
    if (value === undefined) {
      ctx.report.warn(
        'interpolation',
        e.path,
        `${e.path}: ${e.key} has no value and the environment has no variable ${e.key}; left out`,
      );
      continue;
    }
    entries.push([e.key, value]);
    ctx.origin(`env.${e.key}`, e.path);
  }
  return Object.fromEntries(entries);
}

function healthCheck(ctx: ServiceContext): Spec['healthcheck'] {
  const path = at(ctx, 'healthcheck');
  const hc = asMap(ctx.service.get('healthcheck'));
  if (!hc) return undefined;
  ctx.origin('healthcheck', path);
  if (asBool(hc.get('disable')) === true) return { type: 'none' };
  const test = hc.get('test');
  let command: string[] | undefined;
  if (typeof test === 'string') {
    if (test.trim() === '') return undefined;
    command = ['/bin/sh', '-c', test];
  } else if (isSeq(test)) {
    const words = test.map((t) => asString(t) ?? '');
    const [kind, ...rest] = words;
    const testPath = childPath(path, 'test');
    if (kind === 'NONE') return { type: 'none' };
    if (kind === 'CMD' && rest.length > 0) command = rest;
    else if (kind === 'CMD-SHELL' && rest.length > 0) command = ['/bin/sh', '-c', rest.join(' ')];
    else {
      ctx.report.error('type', testPath, `${testPath}: expected ["CMD", program, args…], ["CMD-SHELL", "command"] or ["NONE"]`);
      return undefined;
    }
  } else {
    if (test === undefined && hc.size > 0) {
      ctx.report.warn('ignored', path, `${path} is ignored: without "test" the image's own HEALTHCHECK runs with its own timing`);
    }
    return undefined;
  }
  if (hc.has('start_interval')) {
    const p = childPath(path, 'start_interval');
    ctx.report.warn('ignored', p, `${p} is ignored: Swarm services probe at "interval" from the start`);
  }
  const timing = (key: string, what: string, min?: number) => {
    const ms = durationMs(hc.get(key), childPath(path, key), ctx.report, { min, max: HOUR, what });
    return ms;
  };
  const interval = timing('interval', 'a health check interval', 1000);
  const timeout = timing('timeout', 'a health check timeout', 1000);
  const startPeriod = timing('start_period', 'a start period');
  const retries = asInt(hc.get('retries'));
  return {
    type: 'command',
    command,
    ...(interval !== undefined ? { intervalMs: interval } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    ...(startPeriod !== undefined ? { startPeriodMs: startPeriod } : {}),
    ...(retries !== undefined && retries > 0 ? { retries } : {}),
  };
}

function plain(ctx: ServiceContext, spec: Spec): void {
  const s = ctx.service;
  const text = (key: string, field: 'user' | 'workingDir' | 'hostname' | 'stopSignal') => {
    const v = asString(s.get(key));
    if (v === undefined) return;
    spec[field] = v;
    ctx.origin(field, at(ctx, key));
  };
  text('user', 'user');
  text('working_dir', 'workingDir');
  text('hostname', 'hostname');
  text('stop_signal', 'stopSignal');
  const readOnly = asBool(s.get('read_only'));
  if (readOnly !== undefined) spec.readOnlyRootfs = readOnly;
  const init = asBool(s.get('init'));
  if (init !== undefined) spec.init = init;
  const grace = durationMs(s.get('stop_grace_period'), at(ctx, 'stop_grace_period'), ctx.report, {
    max: HOUR,
    what: 'a stop grace period',
  });
  if (grace !== undefined) {
    spec.stopGracePeriodMs = grace;
    ctx.origin('stopGracePeriodMs', at(ctx, 'stop_grace_period'));
  }
  spec.extraHosts = extraHosts(ctx);
  const capAdd: string[] = [];
  for (const c of stringList(s.get('cap_add'), at(ctx, 'cap_add'))) {
    const name = capabilityName(c.value);
    if (!SAFE_CAPABILITIES.includes(name) && ruleEnforced(ctx.cluster, 'cap-add')) continue; // refused by policy
    ctx.origin(`capAdd.${capAdd.length}`, c.path);
    capAdd.push(name);
  }
  spec.capAdd = capAdd;
  spec.capDrop = stringList(s.get('cap_drop'), at(ctx, 'cap_drop')).map((c, i) => {
    ctx.origin(`capDrop.${i}`, c.path);
    return capabilityName(c.value);
  });
}

function extraHosts(ctx: ServiceContext): NonNullable<Spec['extraHosts']> {
  const out: NonNullable<Spec['extraHosts']> = [];
  const add = (host: string, ip: string, path: string) => {
    if (ip === 'host-gateway') {
      ctx.report.error('unsupported', path, `${path}: host-gateway is not available on a cluster; give an IP address`);
      return;
    }
    ctx.origin(`extraHosts.${out.length}`, path);
    out.push({ host, ip: unbracket(ip) });
  };
  const v = ctx.service.get('extra_hosts');
  const base = at(ctx, 'extra_hosts');
  if (isMap(v)) {
    for (const [host, ips] of v) {
      for (const ip of stringList(ips, childPath(base, host))) add(host, ip.value, ip.path);
    }
  } else {
    for (const e of stringList(v, base)) {
      const h = parseExtraHost(e.value);
      if (h.ok) add(h.value.host, h.value.ip, e.path);
      else ctx.report.error('type', e.path, `${e.path}: ${h.error}`);
    }
  }
  return out;
}
