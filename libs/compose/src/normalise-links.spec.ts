import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';

const compile = (lines: string[]) => compileCompose(lines.join('\n'));
const issues = (r: ReturnType<typeof compileCompose>) => (r.ok ? [] : r.errors.map((e) => [e.code, e.path, e.line]));

describe('networks', () => {
  it('turn custom networks into stack networks; default is the environment network', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    networks:',
      '      default: {aliases: [www]}',
      '      back: {aliases: [w], ipv4_address: 10.0.0.5}',
      '  db:',
      '    image: postgres',
      '    networks: [back]',
      'networks:',
      '  back: {internal: true, driver: overlay, labels: [tier=data]}',
      '  front: {driver: macvlan}',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stack.networks).toEqual({ back: { internal: true, labels: { tier: 'data' } } });
    expect(r.stack.services.map((s) => [s.name, s.networks, s.aliases])).toEqual([
      ['web', ['back'], ['www']],
      ['db', ['back'], []],
    ]);
    expect(r.warnings.map((w) => [w.path, w.line])).toEqual([
      ['services.web.networks.back.aliases', 6],
      ['services.web.networks.back.ipv4_address', 6],
      ['services.db.networks', 9],
    ]);
    expect(r.warnings[2]?.message).toBe(
      `services.db.networks: the service joins its environment's network ("default") as well; every service does`,
    );
  });

  it('warn about drivers other than overlay and bridge, refuse external networks and undeclared ones', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    networks: [a, b, c]',
      'networks:',
      '  a: {driver: macvlan}',
      '  b: {external: true}',
    ]);
    expect(issues(r)).toEqual([
      ['reference', 'services.web.networks[2]', 4],
      ['unsupported', 'networks.b.external', 7],
    ]);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'ignored', path: 'networks.a.driver', line: 6 }));
  });
});

describe('depends_on', () => {
  it('maps the list and the long form, with conditions and required', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    depends_on:',
      '      api: {condition: service_healthy}',
      '      migrate: {condition: service_completed_successfully, required: false, restart: true}',
      '  api:',
      '    image: api',
      '    depends_on: [db]',
      '    healthcheck: {test: [CMD, /health]}',
      '  migrate: {image: api, deploy: {mode: replicated-job}}',
      '  db: {image: postgres}',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stack.services.map((s) => [s.name, s.dependsOn])).toEqual([
      [
        'web',
        [
          { service: 'api', condition: 'healthy', required: true },
          { service: 'migrate', condition: 'completed', required: false },
        ],
      ],
      ['api', [{ service: 'db', condition: 'started', required: true }]],
      ['migrate', []],
      ['db', []],
    ]);
    expect(r.graph.order).toEqual(['migrate', 'db', 'api', 'web']);
  });

  it('refuses service_healthy on a service without a healthcheck, and unknown services', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    depends_on:',
      '      api: {condition: service_healthy}',
      '      dbb: {condition: service_started}',
      '  api: {image: api}',
      '  db: {image: postgres}',
    ]);
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        code: 'reference',
        path: 'services.web.depends_on.api',
        line: 5,
        message:
          'services.web.depends_on.api: condition service_healthy needs a healthcheck on "api", and it has none; add one or use service_started',
      }),
      expect.objectContaining({
        code: 'reference',
        path: 'services.web.depends_on.dbb',
        line: 6,
        message: 'services.web.depends_on.dbb: there is no service "dbb"; did you mean "db"?',
      }),
    ]);
  });
});

describe('links and external needs', () => {
  it('turn links into dependencies and aliases of the linked service', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    links: ["db:database", api]',
      '  api: {image: api}',
      '  db: {image: postgres}',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [web, api, db] = r.stack.services;
    expect(web?.dependsOn).toEqual([
      { service: 'db', condition: 'started', required: true },
      { service: 'api', condition: 'started', required: true },
    ]);
    expect(db?.aliases).toEqual(['database']);
    expect(api?.aliases).toEqual([]);
  });

  it('collect external_links and x-wharf-external', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    external_links: ["shared-redis:cache", legacy]',
      '  api:',
      '    image: api',
      '    x-wharf-external: {billing: {alias: billing-api}, mail: null}',
      '  worker:',
      '    image: api',
      '    x-wharf-external: [billing]',
    ]);
    expect(r.ok && r.externals).toEqual([
      { name: 'shared-redis', service: 'web', alias: 'cache' },
      { name: 'legacy', service: 'web', alias: 'legacy' },
      { name: 'billing', service: 'api', alias: 'billing-api' },
      { name: 'mail', service: 'api', alias: 'mail' },
      { name: 'billing', service: 'worker', alias: 'billing' },
    ]);
  });

  it('refuse a link alias that is not a DNS name, at the link', () => {
    const r = compile(['services:', '  web:', '    image: nginx', '    links: ["db:My_DB"]', '  db: {image: postgres}']);
    expect(issues(r)).toEqual([['type', 'services.web.links[0]', 4]]);
  });
});
