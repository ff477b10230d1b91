import { DnsLabel, type ServiceSpecInput, type StackSpecInput } from '@wharf/engine';
import { type ServiceBuild, serviceBuild } from './normalise-build.js';
import type { ServiceContext } from './normalise-context.js';
import { dependencies, type Edge, externalNeeds, type LinkAlias, serviceNetworks } from './normalise-links.js';
import { hostSysctls, normaliseMounts, type ObjectKind, type StackRefs } from './normalise-mounts.js';
import { normaliseService } from './normalise-service.js';
import type { Selection } from './profiles.js';
import type { Report } from './report.js';
import { childPath, isMap, type YMap } from './tree.js';
import type { CompileOptions, ExternalNeed, ValueSource } from './types.js';
import { asBool, asMap, asString, listOrDict } from './values.js';

/*
 * The active services and the top-level objects they use → the engine's `StackSpecInput`, plus what the stack
 * needs from the environment (secret and config values, external needs). Every engine field remembers the compose
 * path it came from (`origins`), so what the engine model still refuses is reported at the right line.
 */

export interface Normalised {
  stack: StackSpecInput;
  /** Engine path (`services.0.ports.1`) → compose path (`services.web.ports[1]`). */
  origins: Map<string, string>;
  /** Each service's dependencies with the compose path they are written at. */
  edges: Map<string, Edge[]>;
  externals: ExternalNeed[];
  secrets: Record<string, ValueSource>;
  configs: Record<string, ValueSource>;
  /** The services that build from the app's repository, and how. */
  builds: Record<string, ServiceBuild>;
}

export interface NormaliseInput {
  root: YMap;
  services: YMap;
  selection: Selection;
  options: CompileOptions;
  report: Report;
}

export function normaliseStack(input: NormaliseInput): Normalised {
  const { root, services, selection, options, report } = input;
  const origins = new Map<string, string>();
  const refs = new Declarations(root);
  const all = new Set(services.keys());
  const participating = new Set(selection.active);
  const specs: ServiceSpecInput[] = [];
  const edges = new Map<string, Edge[]>();
  const aliases: LinkAlias[] = [];
  const externals: ExternalNeed[] = [];
  const builds: Record<string, ServiceBuild> = {};

  for (const name of selection.active) {
    const service = services.get(name);
    if (!isMap(service)) continue; // validation reported it
    const index = specs.length;
    const base = childPath('services', name);
    origins.set(`services.${index}`, base);
    checkServiceName(name, base, report);
    const ctx: ServiceContext = {
      name,
      service,
      base,
      report,
      variables: options.variables ?? {},
      cluster: options.cluster,
      builtImages: options.builtImages ?? {},
      origin: (field, path) => origins.set(`services.${index}.${field}`, path),
    };
    const spec = normaliseService(ctx);
    const build = serviceBuild(ctx);
    if (build) builds[name] = build;
    normaliseMounts(ctx, refs, spec);
    hostSysctls(ctx, spec);
    serviceNetworks(ctx, refs, spec);
    const deps = dependencies(ctx, all, participating);
    edges.set(name, deps.edges);
    aliases.push(...deps.aliases);
    externals.push(...externalNeeds(ctx));
    if (name === selection.test) Object.assign(spec, { mode: 'job', replicas: 1, restart: { condition: 'none' } });
    specs.push(spec);
  }

  const byName = new Map(specs.map((s, i) => [s.name, { spec: s, index: i }]));
  for (const link of aliases) {
    const target = byName.get(link.target);
    if (!target) continue;
    const list = target.spec.aliases ?? [];
    target.spec.aliases = list;
    if (list.includes(link.alias)) continue;
    origins.set(`services.${target.index}.aliases.${list.length}`, link.path);
    list.push(link.alias);
  }
  specs.forEach((spec, i) => {
    const own = edges.get(spec.name) ?? [];
    for (const e of own) {
      const target = byName.get(e.service)?.spec;
      if (e.condition === 'healthy' && target && (!target.healthcheck || target.healthcheck.type === 'none')) {
        report.error(
          'reference',
          e.path,
          `${e.path}: condition service_healthy needs a healthcheck on "${e.service}", and it has none; add one or use service_started`,
        );
      }
    }
    spec.dependsOn = own.map((e, j) => {
      origins.set(`services.${i}.dependsOn.${j}`, e.path);
      return { service: e.service, condition: e.condition, required: e.required };
    });
  });

  const stack: StackSpecInput = { services: specs, networks: {}, volumes: {}, secrets: {}, configs: {} };
  const secrets: Record<string, ValueSource> = {};
  const configs: Record<string, ValueSource> = {};
  const stackObjects = new StackObjects(root, report, origins);
  stack.networks = stackObjects.networks(refs.used('networks'));
  stack.volumes = stackObjects.volumes(refs.used('volumes'), refs.anonymous);
  stack.secrets = stackObjects.files('secrets', refs.used('secrets'), secrets);
  stack.configs = stackObjects.files('configs', refs.used('configs'), configs);
  return { stack, origins, edges, externals, secrets, configs, builds };
}

function checkServiceName(name: string, path: string, report: Report): void {
  if (DnsLabel.safeParse(name).success || report.coveredByError(path)) return;
  const hint = /[_.A-Z]/.test(name) ? ' (compose allows "_", "." and capitals; Wharf service names are DNS names)' : '';
  report.error(
    'type',
    path,
    `${path}: "${name}" is not a valid service name: lowercase letters, digits and single "-", starting with a letter, at most 63 characters${hint}`,
  );
}

/** The top-level objects and which of them the active services use. */
class Declarations implements StackRefs {
  private readonly usedNames: Record<ObjectKind, Set<string>> = {
    volumes: new Set(),
    networks: new Set(),
    secrets: new Set(),
    configs: new Set(),
  };
  /** Generated volume name → the compose path of the anonymous volume. */
  readonly anonymous = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  constructor(private readonly root: YMap) {}

  use(kind: ObjectKind, name: string): boolean {
    const declared = asMap(this.root.get(kind));
    if (!declared?.has(name)) return false;
    this.usedNames[kind].add(name);
    return true;
  }

  names(kind: ObjectKind): string[] {
    return [...(asMap(this.root.get(kind))?.keys() ?? [])];
  }

  used(kind: ObjectKind): string[] {
    return [...this.usedNames[kind]];
  }

  anonymousVolume(service: string, path: string): string {
    const n = (this.counters.get(service) ?? 0) + 1;
    this.counters.set(service, n);
    const name = `anon-${service}-${n}`;
    this.anonymous.set(name, path);
    return name;
  }
}

const NETWORK_DRIVERS = new Set(['overlay', 'bridge']);

/** Stack networks, volumes, secrets and configs from their top-level declarations. */
class StackObjects {
  constructor(
    private readonly root: YMap,
    private readonly report: Report,
    private readonly origins: Map<string, string>,
  ) {}

  networks(used: string[]): NonNullable<StackSpecInput['networks']> {
    const out: [string, { internal?: boolean; labels: Record<string, string> }][] = [];
    const declared = asMap(this.root.get('networks'));
    const defaults = asMap(declared?.get('default'));
    if (defaults && defaults.size > 0) {
      this.report.warn(
        'ignored',
        'networks.default',
        "networks.default is ignored: the default network is the environment's own network",
      );
    }
    for (const name of used) {
      const def = asMap(declared?.get(name)) ?? new Map();
      const path = childPath('networks', name);
      this.external(def, path);
      const driver = asString(def.get('driver'));
      if (driver !== undefined && !NETWORK_DRIVERS.has(driver)) {
        const p = childPath(path, 'driver');
        this.report.warn('ignored', p, `${p} is ignored: stack networks are Swarm overlay networks`);
      }
      this.ignore(
        def,
        path,
        ['driver_opts', 'ipam', 'attachable', 'enable_ipv4', 'enable_ipv6', 'name'],
        'Wharf creates and names the network',
      );
      const internal = asBool(def.get('internal'));
      this.origins.set(`networks.${name}`, path);
      out.push([name, { ...(internal !== undefined ? { internal } : {}), labels: this.labels(def, path, `networks.${name}`) }]);
    }
    return Object.fromEntries(out);
  }

  volumes(used: string[], anonymous: ReadonlyMap<string, string>): NonNullable<StackSpecInput['volumes']> {
    const out: [string, { labels: Record<string, string> }][] = [];
    const declared = asMap(this.root.get('volumes'));
    for (const name of used) {
      const def = asMap(declared?.get(name)) ?? new Map();
      const path = childPath('volumes', name);
      this.external(def, path);
      this.ignore(def, path, ['driver', 'driver_opts'], "volumes use the cluster's volume driver");
      this.ignore(def, path, ['name'], 'Wharf names the volume after the app and environment');
      this.origins.set(`volumes.${name}`, path);
      out.push([name, { labels: this.labels(def, path, `volumes.${name}`) }]);
    }
    for (const [name, path] of anonymous) {
      this.origins.set(`volumes.${name}`, path);
      out.push([name, { labels: {} }]);
    }
    return Object.fromEntries(out);
  }

  /** Secrets or configs: the stack object, and where its value comes from. */
  files(
    kind: 'secrets' | 'configs',
    used: string[],
    sources: Record<string, ValueSource>,
  ): Record<string, { labels: Record<string, string> }> {
    const out: [string, { labels: Record<string, string> }][] = [];
    const declared = asMap(this.root.get(kind));
    for (const name of used) {
      const def = asMap(declared?.get(name)) ?? new Map();
      const path = childPath(kind, name);
      const source = this.valueSource(kind, name, def, path);
      if (source) sources[name] = source;
      this.ignore(def, path, ['driver', 'driver_opts', 'template_driver'], 'values come from the environment as they are');
      this.origins.set(`${kind}.${name}`, path);
      out.push([name, { labels: this.labels(def, path, `${kind}.${name}`) }]);
    }
    return Object.fromEntries(out);
  }

  private valueSource(kind: 'secrets' | 'configs', name: string, def: YMap, path: string): ValueSource | undefined {
    if (def.has('file')) {
      const p = childPath(path, 'file');
      this.report.error(
        'unsupported',
        p,
        `${p} is not supported: files are not uploaded; use environment: <VARIABLE> and set the value on the environment`,
      );
      return undefined;
    }
    const variable = asString(def.get('environment'));
    if (variable !== undefined) return { kind: 'variable', name: variable };
    const external = def.get('external');
    if (asBool(external) === true || isMap(external)) {
      const named = asString(def.get('name')) ?? asString(asMap(external)?.get('name')) ?? name;
      return { kind: 'variable', name: named };
    }
    const content = asString(def.get('content'));
    if (kind === 'configs' && content !== undefined) return { kind: 'content', value: content };
    const options = kind === 'configs' ? 'content:, environment: or external: true' : 'environment: or external: true';
    this.report.error('type', path, `${path}: where does the value come from? expected ${options}`);
    return undefined;
  }

  /** `external: true` on a network or volume is refused (the object is still declared, to keep the model whole). */
  private external(def: YMap, path: string): void {
    const external = def.get('external');
    if (asBool(external) !== true && !isMap(external)) return;
    const p = childPath(path, 'external');
    const hint = path.startsWith('networks') ? '; bind another app through x-wharf-external or external_links instead' : '';
    this.report.error('unsupported', p, `${p} is not supported: a stack only uses what it creates${hint}`);
  }

  private ignore(def: YMap, path: string, keys: string[], why: string): void {
    for (const key of keys) {
      if (!def.has(key)) continue;
      const p = childPath(path, key);
      this.report.warn('ignored', p, `${p} is ignored: ${why}`);
    }
  }

  private labels(def: YMap, path: string, engine: string): Record<string, string> {
    const entries = listOrDict(def.get('labels'), childPath(path, 'labels'));
    for (const e of entries) this.origins.set(`${engine}.labels.${e.key}`, e.path);
    return Object.fromEntries(entries.map((e) => [e.key, e.value ?? '']));
  }
}
