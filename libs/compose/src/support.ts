import type { Report } from './report.js';
import { childPath, isMap, type YMap } from './tree.js';

/*
 * What Wharf does with each top-level and service-level key of the Compose Specification. docs/compose.md shows
 * the same table (support.spec.ts keeps them in step).
 *
 * - supported: mapped onto the stack model;
 * - policy: refused on shared clusters by a policy rule (a dedicated cluster's owner may relax it);
 * - ignored: accepted, with a warning at the key, and not applied;
 * - unsupported: an error.
 * A supported key may still refuse some of its values (`deploy.mode: global`, `extends.file`, a bind mount).
 */

export type SupportStatus = 'supported' | 'policy' | 'ignored' | 'unsupported';
export interface Support {
  status: SupportStatus;
  note: string;
}

const supported = (note: string): Support => ({ status: 'supported', note });
const policy = (note: string): Support => ({ status: 'policy', note });
const ignored = (note: string): Support => ({ status: 'ignored', note });
const unsupported = (note: string): Support => ({ status: 'unsupported', note });

const CPU_TUNING = 'Swarm services take a CPU limit only: use cpus or deploy.resources.limits.cpus';
const NOT_SWARM = 'Swarm services have no such setting';

export const SUPPORT_TABLE: Readonly<Record<string, Support>> = {
  'top.version': ignored('obsolete in the Compose Specification'),
  'top.name': ignored('the stack is named after the app and its environment'),
  'top.include': unsupported('Wharf deploys one compose file; copy the services into it'),
  'top.services': supported('each active service becomes a Swarm service'),
  'top.models': unsupported('AI models are not provided by Wharf'),
  'top.networks': supported('overlay networks of the environment; external networks are refused'),
  'top.volumes': supported('named volumes of the environment; driver and driver_opts are ignored, external volumes refused'),
  'top.secrets': supported('values come from the environment (environment: VAR or external: true); file: is refused'),
  'top.configs': supported(
    'values from content:, or from the environment (environment: VAR or external: true); file: is refused',
  ),

  'service.annotations': ignored('Swarm services carry labels, not annotations: use labels'),
  'service.attach': ignored('Wharf collects the logs of every service'),
  'service.blkio_config': ignored(NOT_SWARM),
  'service.build': supported(
    "built from the app's git source at the commit deployed (context, dockerfile, dockerfile_inline, target, args)",
  ),
  'service.cap_add': policy('capabilities beyond the safe list are refused by rule "cap-add"'),
  'service.cap_drop': supported('capDrop'),
  'service.cgroup': ignored(NOT_SWARM),
  'service.cgroup_parent': ignored(NOT_SWARM),
  'service.command': supported('a string is split into words like a shell would (nothing is expanded), a list is taken as is'),
  'service.configs': supported('short and long syntax; the target defaults to /<name>'),
  'service.container_name': ignored('Swarm names the containers of a service; other services reach it by its service name'),
  'service.cpu_count': ignored(CPU_TUNING),
  'service.cpu_percent': ignored(CPU_TUNING),
  'service.cpu_period': ignored(CPU_TUNING),
  'service.cpu_quota': ignored(CPU_TUNING),
  'service.cpu_rt_period': ignored(CPU_TUNING),
  'service.cpu_rt_runtime': ignored(CPU_TUNING),
  'service.cpu_shares': ignored(CPU_TUNING),
  'service.cpus': supported('the CPU limit, unless deploy.resources.limits.cpus is given'),
  'service.cpuset': ignored(CPU_TUNING),
  'service.credential_spec': ignored('Windows containers only'),
  'service.depends_on': supported('deployment order; service_healthy needs a healthcheck on the dependency'),
  'service.deploy': supported(
    'replicas, mode (replicated, replicated-job), resources, restart_policy, update_config, placement, labels',
  ),
  'service.develop': ignored('a development-time setting of docker compose'),
  'service.device_cgroup_rules': unsupported('Swarm services cannot be given device access'),
  'service.devices': policy('host devices are refused by rule "devices"; Swarm services cannot map devices'),
  'service.dns': ignored('services resolve through the cluster DNS'),
  'service.dns_opt': ignored('services resolve through the cluster DNS'),
  'service.dns_search': ignored('services resolve through the cluster DNS'),
  'service.domainname': ignored(NOT_SWARM),
  'service.entrypoint': supported('as command'),
  'service.env_file': unsupported('files are not uploaded; set the variables on the environment and list them under environment'),
  'service.environment': supported('list or mapping; a name without value takes the environment variable of that name'),
  'service.expose': supported('ports reachable inside the environment, not published'),
  'service.extends': supported('within this file; extends.file is refused'),
  'service.external_links': supported('each entry is an external need bound per environment'),
  'service.extra_hosts': supported('list (host:ip, host=ip) or mapping'),
  'service.gpus': unsupported('GPUs are not available yet'),
  'service.group_add': ignored(NOT_SWARM),
  'service.healthcheck': supported('CMD, CMD-SHELL (run by /bin/sh -c), NONE and disable'),
  'service.hostname': supported('hostname'),
  'service.image': supported('required; short names are expanded (nginx → docker.io/library/nginx:latest)'),
  'service.init': supported('init (Wharf runs an init process unless init: false)'),
  'service.ipc': policy('ipc: host is refused by rule "host-ipc"; Swarm services cannot share IPC namespaces'),
  'service.isolation': ignored('Windows containers only'),
  'service.label_file': unsupported('files are not uploaded; write the labels in the file'),
  'service.labels': supported('labels (reserved prefixes such as wharf. are refused)'),
  'service.links': supported('a dependency on the service, and the alias as a further DNS name of it'),
  'service.logging': ignored('Wharf collects the logs of every service itself'),
  'service.mac_address': ignored(NOT_SWARM),
  'service.mem_limit': supported('the memory limit, unless deploy.resources.limits.memory is given'),
  'service.mem_reservation': supported('the memory reservation, unless deploy.resources.reservations.memory is given'),
  'service.mem_swappiness': ignored(NOT_SWARM),
  'service.memswap_limit': ignored(NOT_SWARM),
  'service.models': unsupported('AI models are not provided by Wharf'),
  'service.network_mode': policy('host is refused by rule "host-network", service:/container: by "service-network"'),
  'service.networks': supported('stack networks; every service also joins the environment network ("default")'),
  'service.oom_kill_disable': ignored(NOT_SWARM),
  'service.oom_score_adj': ignored(NOT_SWARM),
  'service.pid': policy('pid: host is refused by rule "host-pid"; Swarm services cannot share PID namespaces'),
  'service.pids_limit': supported('the PIDs limit, unless deploy.resources.limits.pids is given'),
  'service.platform': ignored('images are pulled for the platform of the cluster nodes'),
  'service.ports': supported('container ports; host ports are ignored (HTTP goes through the edge proxy)'),
  'service.post_start': unsupported('Swarm services have no lifecycle hooks'),
  'service.pre_stop': unsupported('Swarm services have no lifecycle hooks'),
  'service.privileged': policy('refused by rule "privileged"; Swarm services cannot run privileged containers'),
  'service.profiles': supported('inactive services are left out; the "test" profile marks the test service'),
  'service.provider': unsupported('provider services are not supported'),
  'service.pull_policy': ignored('Wharf pins every image to its digest when it deploys'),
  'service.pull_refresh_after': ignored('Wharf pins every image to its digest when it deploys'),
  'service.read_only': supported('readOnlyRootfs'),
  'service.restart': supported('no → none, always and unless-stopped → any, on-failure[:n]'),
  'service.runtime': ignored('services run with the cluster default runtime'),
  'service.scale': supported('replicas, unless deploy.replicas is given'),
  'service.secrets': supported('short syntax (/run/secrets/<name>) and long syntax; uid, gid and mode are ignored'),
  'service.security_opt': policy('unconfined profiles are refused by rule "security-opt"; other options are ignored'),
  'service.shm_size': ignored(NOT_SWARM),
  'service.stdin_open': ignored('services run detached'),
  'service.stop_grace_period': supported('stopGracePeriodMs'),
  'service.stop_signal': supported('stopSignal'),
  'service.storage_opt': ignored(NOT_SWARM),
  'service.sysctls': policy('refused by rule "sysctls"'),
  'service.tmpfs': supported('tmpfs mounts (size= is kept)'),
  'service.tty': ignored('services run detached'),
  'service.ulimits': ignored(NOT_SWARM),
  'service.use_api_socket': policy('mounts the Docker socket: refused by rule "docker-socket"'),
  'service.user': supported('user'),
  'service.userns_mode': policy('userns_mode: host is refused by rule "host-userns"; Swarm services cannot set it'),
  'service.uts': unsupported('Swarm services cannot set the UTS namespace'),
  'service.volumes': supported('named volumes, anonymous volumes (named for you) and tmpfs; bind mounts by policy'),
  'service.volumes_from': unsupported('share a named volume between the services instead'),
  'service.working_dir': supported('workingDir'),
};

/** The ignored keys (warnings) and unsupported keys (errors) of the top level and of the active services. */
export function reportSupport(root: YMap, active: readonly string[], report: Report): void {
  const at = (scope: 'top' | 'service', container: YMap, base: string) => {
    for (const key of container.keys()) {
      const support = SUPPORT_TABLE[`${scope}.${key}`];
      const path = childPath(base, key);
      if (support?.status === 'ignored') report.warn('ignored', path, `${path} is ignored: ${support.note}`);
      else if (support?.status === 'unsupported') report.error('unsupported', path, `${path} is not supported: ${support.note}`);
    }
  };
  at('top', root, '');
  const services = root.get('services');
  if (!isMap(services)) return;
  for (const name of active) {
    const service = services.get(name);
    if (isMap(service)) at('service', service, childPath('services', name));
  }
}

/** The support table as the markdown table of docs/compose.md. */
export function supportTableMarkdown(): string {
  const rows = Object.entries(SUPPORT_TABLE).map(([key, s]) => `| \`${key}\` | ${s.status} | ${s.note.replaceAll('|', '\\|')} |`);
  return ['| key | status | note |', '| --- | --- | --- |', ...rows].join('\n');
}
