import fc from 'fast-check';
import type { CompileOptions } from '../types.js';
import { POLICY_RULES } from '../types.js';
import { anyValue, knownKeys, serviceName, unknownKeys } from './service-arbitraries.js';

/** Mostly absent (an undefined value is left out of the YAML), sometimes the given noise. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** Values compose accepts, for a service that should compile unless a mutation or a bad reference breaks it. */
const safeText = fc.string({ unit: fc.constantFrom(...'abcxyz 019-_/:=.,@'), maxLength: 12 });
const plausibleService = fc.record(
  {
    image: fc.constantFrom('nginx', 'postgres:16', 'ghcr.io/acme/api:1.0', 'redis:7-alpine', 'me/app'),
    command: fc.oneof(
      fc.constantFrom('npm start', 'sh -c "sleep 1"'),
      fc.array(
        safeText.filter((t) => t.length > 0),
        { maxLength: 3 },
      ),
    ),
    ports: fc.subarray(['80', '8080:80', '127.0.0.1:9000:9000', '53:53/udp', '3000-3001:3000-3001']),
    expose: fc.subarray(['9100', 9200]),
    environment: fc.oneof(
      fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/), fc.oneof(safeText, fc.integer(), fc.boolean()), { maxKeys: 3 }),
      fc.subarray(['A=1', 'B=two', 'C']),
    ),
    depends_on: fc.oneof(
      fc.subarray(['web', 'db', 'api']),
      fc.dictionary(
        fc.constantFrom('web', 'db', 'api'),
        fc.record({ condition: fc.constantFrom('service_started', 'service_completed_successfully') }),
      ),
    ),
    healthcheck: fc.record(
      {
        test: fc.constantFrom(['CMD', 'true'], ['CMD-SHELL', 'exit 0'], 'true', ['NONE']),
        interval: fc.constantFrom('10s', '1m30s', '2s'),
        timeout: fc.constantFrom('5s', '1500ms'),
        retries: fc.integer({ min: 1, max: 10 }),
      },
      { requiredKeys: ['test'] },
    ),
    deploy: fc.record(
      {
        replicas: fc.integer({ min: 0, max: 10 }),
        resources: fc.record({
          limits: fc.record({ cpus: fc.constantFrom('0.5', '2', 0.25), memory: fc.constantFrom('512M', '1G', '64m') }),
        }),
        restart_policy: fc.record({
          condition: fc.constantFrom('any', 'on-failure', 'none'),
          max_attempts: fc.integer({ min: 0, max: 5 }),
        }),
        update_config: fc.record({
          parallelism: fc.integer({ min: 0, max: 3 }),
          order: fc.constantFrom('start-first', 'stop-first'),
        }),
      },
      { requiredKeys: [] },
    ),
    volumes: fc.subarray(['data:/data', 'cache:/cache:ro']),
    tmpfs: fc.subarray(['/tmp', '/run']),
    restart: fc.constantFrom('always', 'no', 'on-failure', 'unless-stopped'),
    profiles: fc.oneof({ weight: 3, arbitrary: fc.subarray(['debug']) }, fc.subarray(['debug', 'test'])),
    read_only: fc.boolean(),
    user: fc.constantFrom('1000', '1000:1000', 'node'),
    cap_add: fc.constant(['NET_BIND_SERVICE']),
    cap_drop: fc.constant(['ALL']),
    links: fc.subarray(['db:database', 'api']),
    external_links: fc.subarray(['shared-db:db', 'ledger']),
    'x-wharf-test': fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
  },
  { requiredKeys: ['image'] },
);

const KNOWN_KEY_NAMES = [
  'image',
  'command',
  'ports',
  'expose',
  'environment',
  'depends_on',
  'healthcheck',
  'deploy',
  'volumes',
  'restart',
  'profiles',
  'extends',
  'links',
  'user',
  'tmpfs',
];

/** One thing wrong with a service: a known key with a random value, an unknown key, or something the policy refuses. */
const mutation = fc.oneof(
  fc.tuple(fc.constantFrom(...KNOWN_KEY_NAMES), anyValue).map(([k, v]) => ({ [k]: v })),
  unknownKeys,
  fc.constantFrom(
    { privileged: true },
    { network_mode: 'host' },
    { cap_add: ['SYS_ADMIN'] },
    { volumes: ['/var/run/docker.sock:/var/run/docker.sock'] },
    { volumes: ['./src:/src'] },
    { pid: 'host' },
    { devices: ['/dev/fuse'] },
    { sysctls: { 'net.core.somaxconn': 1024 } },
    { security_opt: ['seccomp:unconfined'] },
    { env_file: '.env' },
    { build: '.' },
    { extends: { service: 'nowhere' } },
  ),
);

const service = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        plausibleService,
        fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, fc.array(mutation, { minLength: 1, maxLength: 2 })),
      )
      .map(([s, ms]) => Object.assign({}, s, ...ms) as Record<string, unknown>),
  },
  { weight: 1, arbitrary: knownKeys },
  { weight: 1, arbitrary: fc.tuple(knownKeys, unknownKeys).map(([k, u]) => ({ ...u, ...k })) },
  { weight: 1, arbitrary: anyValue },
);

const rawComposeObject = fc.record(
  {
    version: fc.constantFrom('3', '3.8', 3.9),
    name: fc.constantFrom('shop', 'my-app'),
    services: fc.oneof(
      {
        weight: 12,
        arbitrary: fc.dictionary(fc.constantFrom('web', 'db', 'api', 'worker'), service, { minKeys: 1, maxKeys: 4 }),
      },
      { weight: 2, arbitrary: fc.dictionary(serviceName, service, { minKeys: 1, maxKeys: 4 }) },
      { weight: 1, arbitrary: anyValue },
    ),
    volumes: fc.oneof(
      { weight: 6, arbitrary: fc.constant({ data: null, cache: {} }) },
      {
        weight: 1,
        arbitrary: fc.dictionary(
          fc.constantFrom('data', 'x', 'Bad Name'),
          fc.oneof(fc.constant(null), fc.constant({}), anyValue),
        ),
      },
      { weight: 1, arbitrary: anyValue },
    ),
    networks: rarely(anyValue),
    secrets: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.constant({ s1: { environment: 'S1' }, s2: { external: true } }) },
      fc.dictionary(
        fc.constantFrom('s1', 's2'),
        fc.oneof(
          fc.record({ environment: fc.string({ maxLength: 8 }) }),
          fc.record({ external: fc.boolean() }),
          fc.record({ file: fc.string({ maxLength: 8 }) }),
          anyValue,
        ),
      ),
      anyValue,
    ),
    configs: rarely(anyValue),
    'x-common': rarely(anyValue),
  },
  { requiredKeys: ['services', 'volumes'] },
);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Most generated files have their references put right: depends_on and links only to earlier services that are
 * always active, one test service at most. Without it nearly every file is refused for a dangling name.
 */
function tidy(doc: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(doc.services)) return doc;
  const services: Record<string, unknown> = {};
  const usable: string[] = [];
  let test = false;
  for (const [name, raw] of Object.entries(doc.services)) {
    if (!isRecord(raw)) {
      services[name] = raw;
      continue;
    }
    const svc = { ...raw };
    const ok = (target: string) => usable.includes(target);
    if (Array.isArray(svc.depends_on)) svc.depends_on = svc.depends_on.filter((d) => typeof d === 'string' && ok(d));
    else if (isRecord(svc.depends_on)) svc.depends_on = Object.fromEntries(Object.entries(svc.depends_on).filter(([d]) => ok(d)));
    if (Array.isArray(svc.links)) svc.links = svc.links.filter((l) => typeof l === 'string' && ok(l.split(':')[0] ?? ''));
    const profiles: unknown[] | undefined = Array.isArray(svc.profiles) ? svc.profiles : undefined;
    if (svc['x-wharf-test'] === true || profiles?.includes('test')) {
      if (test) {
        delete svc['x-wharf-test'];
        svc.profiles = profiles?.filter((p) => p !== 'test');
      }
      test = true;
    }
    if (svc['x-wharf-test'] !== true && !isRecord(svc.profiles) && (!Array.isArray(svc.profiles) || svc.profiles.length === 0))
      usable.push(name);
    services[name] = svc;
  }
  return { ...doc, services };
}

export const composeObject = fc
  .tuple(rawComposeObject, fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)))
  .map(([doc, tidied]) => (tidied ? tidy(doc) : doc));

export const options: fc.Arbitrary<Omit<CompileOptions, 'file'>> = fc.record(
  {
    variables: fc.dictionary(
      fc.oneof(fc.constantFrom('A', 'B', 'VAR', 'X', 'COMPOSE_PROFILES'), fc.string({ maxLength: 6 })),
      fc.string({ maxLength: 12 }),
      { maxKeys: 4 },
    ),
    profiles: fc.array(fc.constantFrom('debug', 'test', 'x', ''), { maxLength: 2 }),
    stage: fc.constantFrom('deploy' as const, 'test' as const),
    cluster: fc.record({ shared: fc.boolean(), relaxed: fc.subarray([...POLICY_RULES]) }, { requiredKeys: ['shared'] }),
  },
  { requiredKeys: [] },
);

/** A compose file that must compile: valid names, images, ports, env, replicas and acyclic depends_on. */
export const validCompose = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), { minLength: 1, maxLength: 6 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name, i) =>
        fc.record({
          name: fc.constant(name),
          image: fc.constantFrom(
            'nginx',
            'postgres:16',
            'ghcr.io/acme/api:1.0',
            'redis:7-alpine',
            `me/app@sha256:${'a'.repeat(64)}`,
          ),
          ports: fc.uniqueArray(fc.integer({ min: 1, max: 65_535 }), { maxLength: 3 }),
          env: fc.dictionary(
            fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/),
            fc.string({ unit: fc.constantFrom(...'abc XYZ019-_/:=.,!@#%^&*()[]{}"\'é🐳'), maxLength: 16 }),
            { maxKeys: 4 },
          ),
          replicas: fc.integer({ min: 0, max: 10 }),
          dependsOn: fc.subarray(names.slice(0, i)),
          cpus: fc.constantFrom('0.1', '0.5', '1', '2'),
          memory: fc.constantFrom('64M', '512M', '1G'),
        }),
      ),
    ),
  )
  .map((services) => ({
    services,
    doc: {
      services: Object.fromEntries(
        services.map((s) => [
          s.name,
          {
            image: s.image,
            ports: s.ports.map(String),
            environment: s.env,
            depends_on: s.dependsOn,
            deploy: { replicas: s.replicas, resources: { limits: { cpus: s.cpus, memory: s.memory } } },
          },
        ]),
      ),
    },
  }));
