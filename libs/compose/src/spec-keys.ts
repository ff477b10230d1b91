/*
 * The Compose Specification's keys and value types, transcribed from its JSON schema (compose-spec/compose-spec,
 * schema/compose-spec.json) into our own small shape language. `x-*` keys are allowed wherever the spec allows
 * them. Scalars are read the way compose reads them after interpolation: a string field takes any scalar, a
 * number or boolean field also takes its string form (`"8080"`, `"true"`).
 */

export type Shape =
  | { readonly kind: 'any' }
  | { readonly kind: 'null' }
  | { readonly kind: 'string' }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'duration' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'list'; readonly of: Shape }
  | { readonly kind: 'dict'; readonly of: Shape }
  | { readonly kind: 'either'; readonly of: readonly Shape[] }
  | ObjectShape;

export interface ObjectShape {
  readonly kind: 'object';
  /** Where this object sits, e.g. `service.deploy.resources` (the key of `COMPOSE_SPEC_KEYS`). */
  readonly spot: string;
  readonly keys: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
  /** Whether `x-*` keys are allowed (the spec's `patternProperties: {"^x-": {}}`). */
  readonly extensions: boolean;
  /** Wharf's own `x-wharf-*` keys at this spot: any other `x-wharf-*` key is a typo. */
  readonly wharf?: Readonly<Record<string, Shape>>;
}

const any: Shape = { kind: 'any' };
const nil: Shape = { kind: 'null' };
const str: Shape = { kind: 'string' };
const bool: Shape = { kind: 'boolean' };
const duration: Shape = { kind: 'duration' };
const bytes: Shape = { kind: 'bytes' };
const num = (min?: number, max?: number): Shape => ({ kind: 'number', min, max });
const int = (min?: number, max?: number): Shape => ({ kind: 'integer', min, max });
const oneOf = (...values: string[]): Shape => ({ kind: 'enum', values });
const list = (of: Shape): Shape => ({ kind: 'list', of });
const dict = (of: Shape): Shape => ({ kind: 'dict', of });
const either = (...of: Shape[]): Shape => ({ kind: 'either', of });
const nullable = (of: Shape): Shape => either(of, nil);
const obj = (
  spot: string,
  keys: Record<string, Shape>,
  options: { required?: string[]; extensions?: boolean; wharf?: Record<string, Shape> } = {},
): ObjectShape => ({ kind: 'object', spot, keys, extensions: options.extensions ?? true, ...options });

const listOrDict = either(dict(nullable(str)), list(str));
const stringOrList = either(str, list(str));
const command = either(str, list(str), nil);
const external = (spot: string) => either(bool, obj(`${spot}.external`, { name: str }));

const UPDATE = (spot: string) =>
  obj(spot, {
    parallelism: int(0),
    delay: duration,
    failure_action: oneOf('continue', 'rollback', 'pause'),
    monitor: duration,
    max_failure_ratio: num(0, 1),
    order: oneOf('start-first', 'stop-first'),
  });

const DEPLOY = obj('service.deploy', {
  mode: oneOf('replicated', 'global', 'replicated-job', 'global-job'),
  endpoint_mode: oneOf('vip', 'dnsrr'),
  replicas: int(0),
  labels: listOrDict,
  rollback_config: UPDATE('service.deploy.rollback_config'),
  update_config: UPDATE('service.deploy.update_config'),
  resources: obj('service.deploy.resources', {
    limits: obj('service.deploy.resources.limits', { cpus: num(0), memory: bytes, pids: int() }),
    reservations: obj('service.deploy.resources.reservations', {
      cpus: num(0),
      memory: bytes,
      generic_resources: any,
      devices: any,
    }),
  }),
  restart_policy: obj('service.deploy.restart_policy', {
    condition: oneOf('none', 'on-failure', 'any'),
    delay: duration,
    max_attempts: int(0),
    window: duration,
  }),
  placement: obj('service.deploy.placement', {
    constraints: list(str),
    preferences: list(obj('service.deploy.placement.preferences[]', { spread: str })),
    max_replicas_per_node: int(0),
  }),
});

const HEALTHCHECK = obj('service.healthcheck', {
  disable: bool,
  interval: duration,
  retries: int(0),
  test: either(str, list(str)),
  timeout: duration,
  start_period: duration,
  start_interval: duration,
});

const PORT = obj('service.ports[]', {
  name: str,
  mode: oneOf('host', 'ingress'),
  host_ip: str,
  target: str,
  published: str,
  protocol: str,
  app_protocol: str,
});

const VOLUME_MOUNT = obj(
  'service.volumes[]',
  {
    type: oneOf('bind', 'volume', 'tmpfs', 'cluster', 'npipe', 'image'),
    source: str,
    target: str,
    read_only: bool,
    consistency: str,
    bind: obj('service.volumes[].bind', {
      propagation: str,
      create_host_path: bool,
      recursive: oneOf('enabled', 'disabled', 'writable', 'readonly'),
      selinux: oneOf('z', 'Z'),
    }),
    volume: obj('service.volumes[].volume', { labels: listOrDict, nocopy: bool, subpath: str }),
    tmpfs: obj('service.volumes[].tmpfs', { size: bytes, mode: str }),
    image: obj('service.volumes[].image', { subpath: str }),
  },
  { required: ['type'] },
);

const fileRef = (spot: string) => either(str, obj(spot, { source: str, target: str, uid: str, gid: str, mode: str }));

export const DEPENDENCY_CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** Wharf's service extensions (see docs/compose.md). */
export const WHARF_SERVICE_KEYS = {
  /** The container port the edge proxy routes HTTP to (`false`: none). */
  'x-wharf-http': either(int(1, 65535), bool),
  /** This service is the stack's test, run once as a job in the test stage. */
  'x-wharf-test': bool,
  /** Things from outside the stack this service needs, bound per environment: names, or name → `{alias}`. */
  'x-wharf-external': either(list(str), dict(nullable(obj('wharf.external', { alias: str })))),
} as const satisfies Record<string, Shape>;

export const SERVICE = obj(
  'service',
  {
    develop: any,
    deploy: nullable(DEPLOY),
    annotations: listOrDict,
    attach: bool,
    build: any,
    blkio_config: any,
    cap_add: list(str),
    cap_drop: list(str),
    cgroup: oneOf('host', 'private'),
    cgroup_parent: str,
    command,
    configs: list(fileRef('service.configs[]')),
    container_name: str,
    cpu_count: int(0),
    cpu_percent: int(0, 100),
    cpu_shares: num(),
    cpu_quota: num(),
    cpu_period: num(),
    cpu_rt_period: str,
    cpu_rt_runtime: str,
    cpus: num(0),
    cpuset: str,
    credential_spec: any,
    depends_on: either(
      list(str),
      dict(
        obj(
          'service.depends_on.*',
          { restart: bool, required: bool, condition: oneOf(...DEPENDENCY_CONDITIONS) },
          {
            required: ['condition'],
          },
        ),
      ),
    ),
    device_cgroup_rules: list(str),
    devices: list(
      either(str, obj('service.devices[]', { source: str, target: str, permissions: str }, { required: ['source'] })),
    ),
    dns: stringOrList,
    dns_opt: list(str),
    dns_search: stringOrList,
    domainname: str,
    entrypoint: command,
    env_file: any,
    label_file: any,
    environment: listOrDict,
    expose: list(str),
    extends: either(str, obj('service.extends', { service: str, file: str }, { required: ['service'], extensions: false })),
    provider: any,
    external_links: list(str),
    extra_hosts: either(dict(either(str, list(str))), list(str)),
    gpus: any,
    group_add: list(str),
    healthcheck: HEALTHCHECK,
    hostname: str,
    image: str,
    init: bool,
    ipc: str,
    isolation: str,
    labels: listOrDict,
    links: list(str),
    logging: obj('service.logging', { driver: str, options: nullable(dict(nullable(str))) }),
    mac_address: str,
    mem_limit: bytes,
    mem_reservation: bytes,
    mem_swappiness: int(0, 100),
    memswap_limit: str,
    network_mode: str,
    models: any,
    networks: either(
      list(str),
      dict(
        nullable(
          obj('service.networks.*', {
            aliases: list(str),
            interface_name: str,
            ipv4_address: str,
            ipv6_address: str,
            link_local_ips: list(str),
            mac_address: str,
            driver_opts: dict(str),
            priority: num(),
            gw_priority: num(),
          }),
        ),
      ),
    ),
    oom_kill_disable: bool,
    oom_score_adj: int(-1000, 1000),
    pid: nullable(str),
    pids_limit: int(),
    platform: str,
    ports: list(either(str, PORT)),
    post_start: any,
    pre_stop: any,
    privileged: bool,
    profiles: list(str),
    pull_policy: str,
    pull_refresh_after: str,
    read_only: bool,
    restart: str,
    runtime: str,
    scale: int(0),
    security_opt: list(str),
    shm_size: bytes,
    secrets: list(fileRef('service.secrets[]')),
    sysctls: listOrDict,
    stdin_open: bool,
    stop_grace_period: duration,
    stop_signal: str,
    storage_opt: any,
    tmpfs: stringOrList,
    tty: bool,
    ulimits: dict(either(int(), obj('service.ulimits.*', { hard: int(), soft: int() }, { required: ['soft', 'hard'] }))),
    use_api_socket: bool,
    user: str,
    uts: str,
    userns_mode: str,
    volumes: list(either(str, VOLUME_MOUNT)),
    volumes_from: list(str),
    working_dir: str,
  },
  { wharf: WHARF_SERVICE_KEYS },
);

export const NETWORK = obj('network', {
  name: str,
  driver: str,
  driver_opts: dict(str),
  ipam: any,
  external: external('network'),
  internal: bool,
  enable_ipv4: bool,
  enable_ipv6: bool,
  attachable: bool,
  labels: listOrDict,
});

export const VOLUME = obj('volume', {
  name: str,
  driver: str,
  driver_opts: dict(str),
  external: external('volume'),
  labels: listOrDict,
});

export const SECRET = obj('secret', {
  name: str,
  environment: str,
  file: str,
  external: external('secret'),
  labels: listOrDict,
  driver: str,
  driver_opts: dict(str),
  template_driver: str,
});

export const CONFIG = obj('config', {
  name: str,
  content: str,
  environment: str,
  file: str,
  external: external('config'),
  labels: listOrDict,
  template_driver: str,
});

export const TOP = obj('top', {
  version: str,
  name: str,
  include: any,
  services: dict(SERVICE),
  models: any,
  networks: dict(nullable(NETWORK)),
  volumes: dict(nullable(VOLUME)),
  secrets: dict(SECRET),
  configs: dict(CONFIG),
});

/** Every object of the specification we validate, by spot (`top`, `service`, `service.deploy`, …) → its keys. */
export const COMPOSE_SPEC_KEYS: Readonly<Record<string, readonly string[]>> & {
  readonly top: readonly string[];
  readonly service: readonly string[];
} = (() => {
  const out: Record<string, readonly string[]> = {};
  const walk = (s: Shape): void => {
    if (s.kind === 'object') {
      if (!s.spot.startsWith('wharf.') && !(s.spot in out)) out[s.spot] = Object.keys(s.keys);
      for (const k of Object.values(s.keys)) walk(k);
      for (const k of Object.values(s.wharf ?? {})) walk(k);
    } else if (s.kind === 'list' || s.kind === 'dict') {
      walk(s.of);
    } else if (s.kind === 'either') {
      for (const k of s.of) walk(k);
    }
  };
  walk(TOP);
  return { ...out, top: Object.keys(TOP.keys), service: Object.keys(SERVICE.keys) };
})();
