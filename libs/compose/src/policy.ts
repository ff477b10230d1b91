import type { Report } from './report.js';
import { parseVolumeSpec } from './syntax.js';
import { childPath, isMap, type YMap, type YValue } from './tree.js';
import type { CompileOptions, PolicyRule } from './types.js';
import { asBool, asMap, asSeq, asString, listOrDict, quote } from './values.js';

/*
 * The policy rules: compose options that reach into the host. A shared cluster enforces every rule; a dedicated
 * cluster those its owner did not relax. A relaxed rule maps onto the stack model where Swarm can express it (bind
 * mounts, the Docker socket, the host network, sysctls, capabilities); where it cannot (privileged, devices, host
 * PID/IPC/user namespaces, another container's network, unconfined profiles) it passes policy but is an
 * `unsupported` error. Quota is not checked here.
 */

export type ClusterPolicy = NonNullable<CompileOptions['cluster']>;

/** Docker's default capabilities minus MKNOD and NET_RAW: added without any relaxation. */
export const SAFE_CAPABILITIES: readonly string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'AUDIT_WRITE',
];

/** Whether a rule holds on this cluster (default: a shared cluster, where every rule holds). */
export function ruleEnforced(cluster: ClusterPolicy | undefined, rule: PolicyRule): boolean {
  if (!cluster || cluster.shared) return true;
  return !(cluster.relaxed ?? []).includes(rule);
}

/** What Swarm cannot run even when the policy allows it. */
const SWARM_CANNOT: Partial<Record<PolicyRule, string>> = {
  privileged: 'Swarm services cannot run privileged containers',
  'service-network': "Swarm services cannot share another container's network namespace",
  'host-pid': "Swarm services cannot use the host's PID namespace",
  'host-ipc': "Swarm services cannot use the host's IPC namespace",
  'host-userns': "Swarm services cannot use the host's user namespace",
  devices: 'Swarm services cannot map host devices',
  'security-opt': 'Swarm services cannot run with an unconfined security profile',
};

export interface Violation {
  rule: PolicyRule;
  path: string;
  /** What is refused, as the subject of "… not allowed": `privileged containers are`. */
  what: string;
  hint?: string;
}

/** `capability` without `CAP_`, uppercase. */
export function capabilityName(cap: string): string {
  const c = cap.trim().toUpperCase();
  return c.startsWith('CAP_') ? c.slice(4) : c;
}

/** Whether a host path is, or contains, the Docker socket. */
export function isDockerSocket(source: string): boolean {
  const p = `/${source
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/')}`;
  return ['/', '/var', '/var/run', '/run'].includes(p) || p.endsWith('/docker.sock');
}

const UNCONFINED = /^(?:(?:seccomp|apparmor|systempaths)[:=]unconfined|label[:=]disable)$/;

/** The policy violations of one service, in the order of its keys. */
export function serviceViolations(name: string, service: YMap, report?: Report): Violation[] {
  const base = childPath('services', name);
  const out: Violation[] = [];
  const path = (key: string) => childPath(base, key);
  for (const key of service.keys()) {
    const value = service.get(key) ?? null;
    switch (key) {
      case 'privileged':
        if (asBool(value) === true) out.push({ rule: 'privileged', path: path(key), what: 'privileged containers are' });
        break;
      case 'network_mode':
        networkMode(asString(value), path(key), out, report);
        break;
      case 'pid':
      case 'ipc':
      case 'userns_mode':
        namespace(key, asString(value), path(key), out, report);
        break;
      case 'volumes':
        asSeq(value)?.forEach((item, i) => {
          const source = bindSource(item);
          if (source === undefined) return;
          const at = childPath(path(key), i);
          if (source !== '' && isDockerSocket(source)) {
            out.push({ rule: 'docker-socket', path: at, what: `mounting the Docker socket (${quote(source)}) is` });
          } else {
            out.push({
              rule: 'bind-mounts',
              path: at,
              what: source === '' ? 'bind mounts of host paths are' : `bind mounts of host paths (${quote(source)}) are`,
              hint: 'use a named volume',
            });
          }
        });
        break;
      case 'use_api_socket':
        if (asBool(value) === true) out.push({ rule: 'docker-socket', path: path(key), what: 'mounting the Docker socket is' });
        break;
      case 'devices':
        if ((asSeq(value)?.length ?? 0) > 0) out.push({ rule: 'devices', path: path(key), what: 'host devices are' });
        break;
      case 'cap_add':
        asSeq(value)?.forEach((item, i) => {
          const cap = asString(item);
          if (cap === undefined || SAFE_CAPABILITIES.includes(capabilityName(cap))) return;
          out.push({
            rule: 'cap-add',
            path: childPath(path(key), i),
            what: `capability ${quote(capabilityName(cap))} is`,
            hint: `allowed everywhere: ${SAFE_CAPABILITIES.join(', ')}`,
          });
        });
        break;
      case 'security_opt':
        asSeq(value)?.forEach((item, i) => {
          const opt = asString(item)?.trim();
          const at = childPath(path(key), i);
          if (opt !== undefined && UNCONFINED.test(opt)) {
            out.push({ rule: 'security-opt', path: at, what: `security option ${quote(opt)} (no confinement) is` });
          } else if (opt !== undefined) {
            report?.warn('ignored', at, `${at} is ignored: Swarm services take no security options`);
          }
        });
        break;
      case 'sysctls':
        if (listOrDict(value, path(key)).length > 0)
          out.push({ rule: 'sysctls', path: path(key), what: 'kernel parameters (sysctls) are' });
        break;
    }
  }
  return out;
}

function networkMode(mode: string | undefined, path: string, out: Violation[], report?: Report): void {
  if (mode === undefined || mode === '') return;
  if (mode === 'host') out.push({ rule: 'host-network', path, what: `the host's network (network_mode "host") is` });
  else if (mode.startsWith('service:') || mode.startsWith('container:')) {
    out.push({ rule: 'service-network', path, what: `sharing another container's network (network_mode ${quote(mode)}) is` });
  } else if (mode === 'bridge' || mode === 'default') {
    report?.warn('ignored', path, `${path} is ignored: services use the overlay network of their environment`);
  } else if (mode === 'none') {
    report?.error(
      'unsupported',
      path,
      `${path}: network_mode "none" is not supported: every service joins its environment's network`,
    );
  } else {
    report?.error(
      'type',
      path,
      `${path}: ${quote(mode)} is not a network mode; expected host, bridge, none, service:<name> or container:<name>`,
    );
  }
}

const RULE_OF = { pid: 'host-pid', ipc: 'host-ipc', userns_mode: 'host-userns' } as const;
const HARMLESS: Record<string, readonly string[]> = { pid: ['private'], ipc: ['private', 'shareable', 'none'], userns_mode: [] };

function namespace(
  key: 'pid' | 'ipc' | 'userns_mode',
  mode: string | undefined,
  path: string,
  out: Violation[],
  report?: Report,
): void {
  if (mode === undefined || mode === '') return;
  if (mode === 'host') {
    out.push({
      rule: RULE_OF[key],
      path,
      what: `the host's ${key === 'userns_mode' ? 'user' : key.toUpperCase()} namespace (${key}: host) is`,
    });
  } else if (HARMLESS[key]?.includes(mode)) {
    report?.warn('ignored', path, `${path} is ignored: Swarm services always get namespaces of their own`);
  } else {
    report?.error('unsupported', path, `${path}: ${quote(mode)} is not supported: Swarm services cannot share namespaces`);
  }
}

/** The host path a volume entry binds, if it is a bind mount. */
export function bindSource(item: YValue): string | undefined {
  if (typeof item === 'string') {
    const v = parseVolumeSpec(item);
    return v.ok && v.value.type === 'bind' ? v.value.source : undefined;
  }
  const m = asMap(item);
  if (!m || asString(m.get('type')) !== 'bind') return undefined;
  return asString(m.get('source')) ?? '';
}

/**
 * Checks every active service: a violation of an enforced rule is a `policy` error at the offending key; a relaxed
 * rule Swarm cannot express is an `unsupported` error there.
 */
export function enforcePolicy(
  services: YMap,
  active: readonly string[],
  cluster: ClusterPolicy | undefined,
  report: Report,
): void {
  const where = !cluster || cluster.shared ? 'on a shared cluster' : 'on this cluster unless its owner relaxes the rule';
  for (const name of active) {
    const service = services.get(name);
    if (!isMap(service)) continue;
    for (const v of serviceViolations(name, service, report)) {
      if (ruleEnforced(cluster, v.rule)) {
        const hint = v.hint ? `; ${v.hint}` : '';
        report.error('policy', v.path, `${v.path}: ${v.what} not allowed ${where} (rule "${v.rule}")${hint}`, v.rule);
      } else {
        const cannot = SWARM_CANNOT[v.rule];
        if (cannot) report.error('unsupported', v.path, `${v.path}: ${cannot}`);
      }
    }
  }
}
