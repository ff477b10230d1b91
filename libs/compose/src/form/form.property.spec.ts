import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { canonicalForm } from './compare.js';
import type { DependencyForm, EnvVarForm, HealthcheckForm, PortForm, ServiceForm, StackForm } from './form.schema.js';
import { formFromYaml } from './read.js';
import { applyForm } from './write.js';

// ---- arbitraries

/** Strings YAML reads as something else, or that need quoting somewhere. */
// biome-ignore format: a table
const TRICKY = [
  '', 'true', 'False', 'yes', 'null', '~', '123', '08080', '1.50', '0x1F', '1e3', '.inf', '- a', 'a: b',
  'a #b', '#c', '*x', '&a', '!tag', '"q"', "'s'", ' lead', 'trail ', 'multi\nline', 'tab\there', '[a]', '{a}',
  '%x', '@x', '`x`', '|', '>', '? x', '<<', 'a,b', '\\', 'é ü 漢字 🐳',
];

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary-ascii', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(...TRICKY),
);

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);

const envKey = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/),
  fc.constantFrom('true', 'null', '123', 'on', 'a b', '~x', '-x', 'é'),
);

const env: fc.Arbitrary<EnvVarForm[]> = fc.uniqueArray(fc.record({ key: envKey, value: fc.option(text, { nil: null }) }), {
  selector: (e) => e.key,
  maxLength: 5,
});

const portNumber = fc.integer({ min: 1, max: 65535 });

const port: fc.Arbitrary<PortForm> = fc.record(
  { target: portNumber, published: portNumber, protocol: fc.constantFrom('tcp' as const, 'udp' as const) },
  { requiredKeys: ['target', 'protocol'] },
);

const dependsOn = (names: fc.Arbitrary<string>): fc.Arbitrary<DependencyForm[]> =>
  fc.uniqueArray(
    fc.record({
      service: names,
      condition: fc.constantFrom(
        'service_started' as const,
        'service_healthy' as const,
        'service_completed_successfully' as const,
      ),
    }),
    { selector: (d) => d.service, maxLength: 3 },
  );

const healthcheck: fc.Arbitrary<HealthcheckForm> = fc.record(
  {
    test: fc.oneof(
      fc.array(text, { maxLength: 4 }),
      text.map((cmd) => ['CMD-SHELL', cmd]),
    ),
    interval: fc.constantFrom('10s', '1m30s', '5s', '30'),
    timeout: fc.constantFrom('3s', '10s'),
    retries: fc.nat(10),
  },
  { requiredKeys: ['test'] },
);

const volume = fc.oneof(
  fc.constantFrom('data:/data', './src:/app:ro', '/var/run/x.sock:/x.sock', '/cache', 'logs:/logs:rw', 'db:/db:ro,z'),
  fc.tuple(name, fc.stringMatching(/^\/[a-z]{1,8}$/), fc.boolean()).map(([s, t, ro]) => `${s}:${t}${ro ? ':ro' : ''}`),
  text.filter((v) => v !== '' && !/[\r\n]/.test(v)),
);

const cpus = fc.oneof(fc.constantFrom('0.5', '1', '2', '1.50', '.25'), fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,2})?$/));
const memory = fc.oneof(fc.constantFrom('512M', '1G', '256m', '1024'), fc.stringMatching(/^[1-9][0-9]{0,3}[kmgKMG]?$/));

/** Every field of a service the form edits, each one optional or empty at times. */
function serviceFields(serviceName: string): fc.Arbitrary<ServiceForm> {
  return fc.record(
    {
      name: fc.constant(serviceName),
      image: fc.oneof(fc.constantFrom('nginx:1.27', 'postgres:16', 'ghcr.io/acme/api@sha256:abc'), text),
      command: fc.array(text, { maxLength: 4 }),
      environment: env,
      ports: fc.array(port, { maxLength: 3 }),
      replicas: fc.nat(20),
      cpus,
      memory,
      dependsOn: dependsOn(name),
      healthcheck,
      volumes: fc.array(volume, { maxLength: 3 }),
    },
    { requiredKeys: ['name', 'environment', 'ports', 'dependsOn', 'volumes'] },
  );
}

/** One value from each arbitrary, as a list. */
function all<T>(arbitraries: fc.Arbitrary<T>[]): fc.Arbitrary<T[]> {
  return fc.tuple(...arbitraries).map((values) => [...values]);
}

function servicesNamed(names: string[]): fc.Arbitrary<ServiceForm[]> {
  return all(names.map(serviceFields));
}

const stackForm: fc.Arbitrary<StackForm> = fc.record({
  services: fc.uniqueArray(name, { maxLength: 4 }).chain(servicesNamed),
  volumes: fc.uniqueArray(name, { maxLength: 3 }),
});

// ---- a hand-written file

/** A file written by hand; lines marked `# keep:` are on parts the form never touches, whatever it says. */
const HAND = `# keep: Wharf demo stack, written by hand
# keep: second header line

x-defaults: &defaults   # keep: shared defaults
  restart: unless-stopped
  logging:
    driver: json-file
    options: { max-size: "10m" }   # keep: log rotation
  environment:
    TZ: UTC

x-foo:
  owner: platform-team   # keep: who to call

services:
  # keep: the public web front
  web:
    <<: *defaults
    image: "nginx:1.25"     # pinned on purpose
    command: nginx -g 'daemon off;'
    environment:
      - A=1
      # a comment inside environment
      - B=two
    ports:
      - "8080:80"
      - 127.0.0.1:9090:90/udp
      - 8000-8010:8000-8010
    labels:
      traefik.enable: "true"    # keep: routed by traefik
      traefik.http.routers.web.rule: Host(\`example.com\`)
    networks: [front, back]
    deploy:
      replicas: 2
      labels: {tier: web}
      resources:
        limits: {cpus: '0.5', memory: 512M}
        reservations:
          memory: 128M   # keep: reservation

  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: secret   # dev only
      PORT: 5432
    volumes:
      - type: volume
        source: db
        target: /var/lib/postgresql/data
      - type: volume
        source: cache
        target: /cache
        volume: {nocopy: true}
    healthcheck:
      test: pg_isready -U postgres
      interval: 10s
      start_period: 5s
    logging: {driver: "local"}   # keep: db logs locally
    networks:
      - back

  api: &api
    <<: *defaults
    image: ghcr.io/acme/api:2.0
    stop_grace_period: 30s   # keep: drain requests

  api-copy: *api

  worker:
    image: ghcr.io/acme/worker:1.0
    command: ["node", "worker.js"]
    depends_on:
      db:
        condition: service_healthy
        restart: true
    ports:
      - target: 3000
        published: 3001
        protocol: tcp
        mode: host
    security_opt: [no-new-privileges]   # keep: hardening

  cache: {image: "redis:7", ports: ["6379"], labels: {a: b}}

volumes:
  db: {}   # keep: database volume
  cache:
    driver: local   # keep: local driver

networks:
  front: {}
  back:
    internal: true   # keep: no egress
`;

/** Text of parts the form does not model, which must come out byte for byte. */
const UNTOUCHED_TEXT = [
  HAND.slice(HAND.indexOf('x-defaults'), HAND.indexOf('services:')),
  HAND.slice(HAND.indexOf('networks:\n  front')),
  '    labels:\n      traefik.enable: "true"    # keep: routed by traefik\n      traefik.http.routers.web.rule: Host(`example.com`)\n',
  '    networks: [front, back]\n',
  '      labels: {tier: web}\n',
  '        reservations:\n          memory: 128M   # keep: reservation\n',
  '    logging: {driver: "local"}   # keep: db logs locally\n    networks:\n      - back\n',
  '    security_opt: [no-new-privileges]   # keep: hardening\n',
  'labels: {a: b}',
];

/** Where the form has no say, as plain data. */
function unmodelled(yaml: string): unknown {
  const data = parseDocument(yaml, { merge: true }).toJS() as {
    services: Record<
      string,
      Record<string, unknown> & { deploy?: Record<string, unknown> & { resources?: Record<string, unknown> } }
    >;
  } & Record<string, unknown>;
  const s = data.services;
  return {
    defaults: data['x-defaults'],
    foo: data['x-foo'],
    networks: data.networks,
    volumes: [(data.volumes as Record<string, unknown>)?.db, (data.volumes as Record<string, unknown>)?.cache],
    web: [
      s.web?.labels,
      s.web?.networks,
      s.web?.restart,
      s.web?.logging,
      s.web?.deploy?.labels,
      s.web?.deploy?.resources?.reservations,
    ],
    db: [s.db?.logging, s.db?.networks],
    api: [s.api?.restart, s.api?.logging, s.api?.stop_grace_period, s['api-copy']?.stop_grace_period],
    worker: [s.worker?.security_opt],
    cache: s.cache?.labels,
  };
}

function base(): StackForm {
  const read = formFromYaml(HAND);
  if (!read.ok) throw new Error(read.message);
  return read.form;
}

/** Each field either as it is in the file or something else. */
function edited(service: ServiceForm): fc.Arbitrary<ServiceForm> {
  const other = serviceFields(service.name);
  return fc.tuple(other, fc.array(fc.boolean(), { minLength: 11, maxLength: 11 })).map(([next, keep]) => {
    const keys = [
      'image',
      'command',
      'environment',
      'ports',
      'replicas',
      'cpus',
      'memory',
      'dependsOn',
      'healthcheck',
      'volumes',
    ] as const;
    const out: Record<string, unknown> = { ...next };
    keys.forEach((key, i) => {
      if (keep[i]) out[key] = service[key];
    });
    return out as ServiceForm;
  });
}

function editedStack(form: StackForm): fc.Arbitrary<StackForm> {
  const names = new Set(form.services.map((s) => s.name));
  const fresh = name.filter((n) => !names.has(n) && n !== 'cache');
  return fc.record({
    services: fc
      .tuple(all(form.services.map(edited)), fc.uniqueArray(fresh, { maxLength: 2 }).chain(servicesNamed))
      .map(([kept, added]) => [...kept, ...added]),
    volumes: fc.uniqueArray(fresh, { maxLength: 2 }).map((added) => [...form.volumes, ...added]),
  });
}

const strip = (form: StackForm): StackForm => canonicalForm(JSON.parse(JSON.stringify(form)) as StackForm);

describe('form properties', () => {
  it('form → YAML → form is the identity', () => {
    fc.assert(
      fc.property(stackForm, (form) => {
        const written = applyForm('', form);
        if (!written.ok) throw new Error(written.message);
        const read = formFromYaml(written.yaml);
        if (!read.ok) throw new Error(`${read.message}\n${written.yaml}`);
        expect(read.form).toEqual(form);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps what the form does not model byte for byte, whatever the form says', () => {
    const form = base();
    const keepLines = HAND.split('\n').filter((line) => line.includes('# keep:'));
    const before = unmodelled(HAND);
    fc.assert(
      fc.property(editedStack(form), (next) => {
        const written = applyForm(HAND, next);
        if (!written.ok) throw new Error(written.message);
        for (const line of keepLines) expect(written.yaml).toContain(line);
        for (const part of UNTOUCHED_TEXT) expect(written.yaml).toContain(part);
        expect(unmodelled(written.yaml)).toEqual(before);
        const read = formFromYaml(written.yaml);
        if (!read.ok) throw new Error(`${read.message}\n${written.yaml}`);
        expect(strip(read.form)).toEqual(strip(next));
      }),
      { numRuns: 100 },
    );
  });

  it('never throws, whatever the input', () => {
    const fragments = fc.constantFrom(
      'services:',
      '\n',
      '  ',
      '    ',
      'web:',
      '- ',
      '&a ',
      '*a',
      '<<: ',
      '{',
      '}',
      '[',
      ']',
      ', ',
      ': ',
      '"',
      "'",
      '#',
      'image: x',
      'environment:',
      'ports:',
      'command:',
      'depends_on:',
      'healthcheck:',
      'deploy:',
      'replicas: 2',
      'volumes:',
      'x',
      '80:80',
      'A=1',
      '!reset ',
      '---',
      '|',
      'test: x',
      'condition: service_healthy',
    );
    const yamlish = fc.array(fragments, { maxLength: 30 }).map((parts) => parts.join(''));
    const input = fc.oneof(fc.string({ unit: 'binary' }), yamlish, fc.constant(HAND));
    fc.assert(
      fc.property(input, stackForm, (source, form) => {
        formFromYaml(source);
        applyForm(source, form);
      }),
      { numRuns: 200 },
    );
  });
});
