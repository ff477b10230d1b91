// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation is written "${VAR}"
import { describe, expect, it } from 'vitest';
import { checkPolicy, compileCompose } from './compile.js';

const NASTY = [
  '',
  '# services: & commented out\n',
  '~',
  '---\n',
  '[]',
  '"just a string"',
  '42',
  'services:',
  'services: 42',
  'services: [web]',
  'services:\n  web: 42\n',
  'services:\n  web: [image, nginx]\n',
  'services:\n  "": {image: x}\n',
  'services:\n  web:\n    image: {a: b}\n    ports: {a: b}\n    volumes: [[1]]\n    environment: [[1]]\n',
  'services:\n  web:\n    image: x\n    deploy: 5\n    healthcheck: []\n    depends_on: 3\n    networks: 7\n',
  'services:\n  web:\n    image: x\n    deploy: {resources: 5, placement: [], update_config: null, restart_policy: 1}\n',
  'services:\n  web:\n    image: x\n    extends: {}\n    links: [":"]\n    external_links: [":"]\n    x-wharf-external: 5\n',
  'services:\n  web:\n    image: x\n    ports: [{}, {target: null}, {target: []}, "", ":", "/", "::::"]\n',
  'services:\n  web:\n    image: x\n    volumes: ["", ":", {type: volume}, {type: bind}, {type: tmpfs}, {target: /x}]\n',
  'services:\n  web:\n    image: x\n    secrets: [{}, {source: []}, 5]\n    configs: [null]\nsecrets: 5\nconfigs: [1]\n',
  'services:\n  web:\n    image: x\n    healthcheck: {test: [], interval: [], retries: {}}\n',
  'services:\n  web:\n    image: x\n    command: {a: 1}\n    entrypoint: [null, [], {}]\n    tmpfs: {a: 1}\n',
  'services:\n  web:\n    image: x\n    networks: {default: 5, other: {aliases: 5}}\nnetworks: [1]\nvolumes: 5\n',
  'services:\n  web:\n    image: x\n    extra_hosts: {a: {b: c}}\n    cap_add: [{}]\n    security_opt: [[]]\n    sysctls: 5\n',
  'services:\n  a: {image: x, extends: b}\n  b: {image: x, extends: a}\n  c: {image: x, depends_on: {a: 5, b: null}}\n',
  'x: &a [*a]\n',
  'services:\n  web:\n    image: "${"\n    user: "${A:?}"\n    hostname: "${A:-${B:-${C:-${D}}}}"\n',
  'services:\n  web:\n    <<: 5\n',
  '? [complex, key]\n: value\n',
  'services:\n  web:\n    image: x\n    __proto__: {polluted: true}\n    environment: {__proto__: x, constructor: y}\n',
  'services:\n  web:\n    image: x\n    ports: ["1-65535"]\n',
  '\t\tservices:\n',
  `services:\n  web:\n    image: x\n    command: "${'a '.repeat(5000)}"\n`,
];

describe('compileCompose', () => {
  it('never throws, reports no internal error and locates every issue, whatever it is given', () => {
    for (const source of NASTY) {
      for (const stage of ['deploy', 'test'] as const) {
        const r = compileCompose(source, { stage });
        const issues = [...(r.ok ? [] : r.errors), ...r.warnings];
        for (const issue of issues) {
          expect(issue.code, `${JSON.stringify(source)}: ${issue.message}`).not.toBe('internal');
          expect(issue.line, issue.message).toBeGreaterThanOrEqual(1);
          expect(issue.column, issue.message).toBeGreaterThanOrEqual(1);
          expect(issue.message.length).toBeGreaterThan(5);
        }
        if (!r.ok) expect(r.errors.length, JSON.stringify(source)).toBeGreaterThan(0);
      }
      expect(() => checkPolicy(source)).not.toThrow();
    }
    expect(Object.getPrototypeOf({}).polluted).toBeUndefined();
  });

  it('collects problems of every stage in one pass, in the order of the file', () => {
    const r = compileCompose(
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    prots: ["80"]',
        '    privileged: true',
        '    healthcheck: {test: "true", interval: 10ms}',
        '    depends_on: [dbb]',
        '  db:',
        '    image: postgres',
        '    environment: {PASSWORD: "${PW:?needed}"}',
        '    build: ../elsewhere',
      ].join('\n'),
    );
    expect(r.ok ? [] : r.errors.map((e) => [e.line, e.code])).toEqual([
      [4, 'unknown-key'],
      [5, 'policy'],
      [6, 'range'],
      [7, 'reference'],
      [10, 'interpolation'],
      [11, 'unsupported'],
    ]);
  });

  it('names the file in every location, and locates paths of the result', () => {
    const r = compileCompose('services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n', { file: 'stack/compose.yaml' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings[0]?.file).toBe('stack/compose.yaml');
    expect(r.locate('services.web.ports[0]')).toEqual({ file: 'stack/compose.yaml', line: 4, column: 13 });
    expect(r.locate('services.web.nothing.here')).toEqual({ file: 'stack/compose.yaml', line: 2, column: 3 });
  });

  it('compiles a typical stack', () => {
    const r = compileCompose(
      [
        'name: shop',
        'services:',
        '  web:',
        '    image: ghcr.io/acme/web:${TAG:-1.0}',
        '    ports: ["80:3000"]',
        '    environment: [API_URL=http://api:8080, SESSION_SECRET]',
        '    depends_on: {api: {condition: service_healthy}}',
        '  api:',
        '    image: ghcr.io/acme/api:${TAG:-1.0}',
        '    expose: [8080]',
        '    healthcheck: {test: [CMD, wget, -qO-, "http://localhost:8080/health"], interval: 10s}',
        '    secrets: [db_password]',
        '    depends_on: [db]',
        '  db:',
        '    image: postgres:16',
        '    volumes: [pgdata:/var/lib/postgresql/data]',
        '    environment: {POSTGRES_PASSWORD_FILE: /run/secrets/db_password}',
        '    secrets: [db_password]',
        'volumes: {pgdata: {}}',
        'secrets: {db_password: {environment: DB_PASSWORD}}',
      ].join('\n'),
      { variables: { TAG: '2.1', SESSION_SECRET: 's3cret' } },
    );
    expect(r.ok ? r.warnings.map((w) => w.path) : r.errors).toEqual(['name', 'services.web.ports[0]']);
    if (!r.ok) return;
    expect(r.graph).toEqual({
      order: ['db', 'api', 'web'],
      layers: [['db'], ['api'], ['web']],
      edges: [
        { from: 'web', to: 'api', condition: 'healthy', required: true },
        { from: 'api', to: 'db', condition: 'started', required: true },
      ],
    });
    expect(r.stack.services[0]).toMatchObject({
      name: 'web',
      image: 'ghcr.io/acme/web:2.1',
      env: { API_URL: 'http://api:8080', SESSION_SECRET: 's3cret' },
      ports: [{ containerPort: 3000, protocol: 'tcp', http: true }],
    });
    expect(r.secrets).toEqual({ db_password: { kind: 'variable', name: 'DB_PASSWORD' } });
    expect(r.test).toBeUndefined();
  });
});
