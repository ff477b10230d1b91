import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import { COMPOSE_SPEC_KEYS } from './spec-keys.js';
import { closest, editDistance } from './suggest.js';
import type { ComposeIssue } from './types.js';

const errors = (source: string): ComposeIssue[] => {
  const r = compileCompose(source);
  return r.ok ? [] : r.errors;
};
const service = (...lines: string[]) => ['services:', '  web:', '    image: nginx', ...lines.map((l) => `    ${l}`)].join('\n');

describe('unknown keys', () => {
  it('are reported at the key with a suggestion', () => {
    expect(errors(service('prots: ["80"]'))).toEqual([
      expect.objectContaining({
        code: 'unknown-key',
        path: 'services.web.prots',
        line: 4,
        column: 5,
        message: '"prots" is not a compose key here; did you mean "ports"?',
      }),
    ]);
  });

  it('suggest by prefix, by transposition and regardless of case', () => {
    expect(errors(service('health: {}'))[0]?.message).toContain('did you mean "healthcheck"?');
    expect(errors(service('evnironment: {}'))[0]?.message).toContain('did you mean "environment"?');
    expect(errors(service('Image: x'))[0]?.message).toContain('did you mean "image"?');
    expect(errors(service('working-dir: /x'))[0]?.message).toContain('did you mean "working_dir"?');
  });

  it('list the valid keys of a small object when nothing is close', () => {
    expect(errors(service('healthcheck: {test: "true", zzzzzz: 1}'))[0]?.message).toBe(
      '"zzzzzz" is not a compose key here; valid keys here: disable, interval, retries, test, timeout, start_period, start_interval',
    );
  });

  it('are checked in nested objects', () => {
    const found = errors(
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    deploy:',
        '      replica: 2',
        '      resources: {limits: {memroy: 1g}}',
        '    ports: [{target: 80, publishd: 8080}]',
        '    volumes: [{type: volume, source: d, target: /d, readonly: true}]',
        '    depends_on: {db: {condition: service_started, requried: false}}',
        '  db: {image: postgres}',
        'volumes: {d: {drivr: local}}',
        'networks: {n: {internl: true}}',
        'secrets: {s: {enviroment: X}}',
        'verison: "3"',
      ].join('\n'),
    );
    expect(found.map((e) => [e.path, e.line, e.message.split(';')[1]?.trim()])).toEqual([
      ['services.web.deploy.replica', 5, 'did you mean "replicas"?'],
      ['services.web.deploy.resources.limits.memroy', 6, 'did you mean "memory"?'],
      ['services.web.ports[0].publishd', 7, 'did you mean "published"?'],
      ['services.web.volumes[0].readonly', 8, 'did you mean "read_only"?'],
      ['services.web.depends_on.db.requried', 9, 'did you mean "required"?'],
      ['volumes.d.drivr', 11, 'did you mean "driver"?'],
      ['networks.n.internl', 12, 'did you mean "internal"?'],
      ['secrets.s.enviroment', 13, 'did you mean "environment"?'],
      ['verison', 14, 'did you mean "version"?'],
    ]);
  });

  it('allow x-* extensions where the spec does', () => {
    const r = compileCompose(
      [
        'x-common: {a: 1}',
        'services:',
        '  web:',
        '    image: nginx',
        '    x-team: core',
        '    deploy: {x-note: 1, resources: {x-a: 1}}',
      ].join('\n'),
    );
    expect(r.ok).toBe(true);
  });

  it('catch typos of Wharf extensions', () => {
    expect(errors(service('x-wharf-htp: 80'))).toEqual([
      expect.objectContaining({
        code: 'unknown-key',
        message: '"x-wharf-htp" is not a Wharf extension; did you mean "x-wharf-http"?',
      }),
    ]);
  });
});

describe('types and ranges', () => {
  it('say what was expected', () => {
    expect(errors(service('ports: "80:80"'))).toEqual([
      expect.objectContaining({
        code: 'type',
        path: 'services.web.ports',
        line: 4,
        message: 'services.web.ports: expected a list of strings or mappings, got the string "80:80"',
      }),
    ]);
    expect(errors(service('environment: 5'))[0]?.message).toBe(
      'services.web.environment: expected a mapping or a list of strings, got the number 5',
    );
    expect(errors(service('read_only: maybe'))[0]?.message).toBe(
      'services.web.read_only: expected true or false, got the string "maybe"',
    );
    expect(errors(service('stop_grace_period: 10'))[0]?.message).toBe(
      'services.web.stop_grace_period: expected a duration such as 10s or 1m30s, got the number 10',
    );
    expect(errors(service('mem_limit: lots'))[0]?.message).toBe(
      'services.web.mem_limit: expected a size such as 512m or 1g, got the string "lots"',
    );
  });

  it('report numbers out of range', () => {
    expect(errors(service('cpu_percent: 120'))).toContainEqual(
      expect.objectContaining({ code: 'range', message: 'services.web.cpu_percent: 120 is out of range; expected 0 to 100' }),
    );
    expect(errors(service('deploy: {update_config: {max_failure_ratio: 2}}'))[0]).toMatchObject({ code: 'range' });
  });

  it('check enumerations with a suggestion', () => {
    const found = errors(
      [
        'services:',
        '  web:',
        '    image: a',
        '    depends_on:',
        '      db: {condition: service_healty}',
        '  db: {image: b}',
      ].join('\n'),
    );
    expect(found[0]).toMatchObject({
      code: 'type',
      path: 'services.web.depends_on.db.condition',
      line: 5,
      message:
        'services.web.depends_on.db.condition: "service_healty" is not one of "service_started", "service_healthy", "service_completed_successfully"; did you mean "service_healthy"?',
    });
  });

  it('report required keys at the mapping that lacks them', () => {
    const found = errors(
      ['services:', '  web:', '    image: a', '    depends_on:', '      db: {required: true}', '  db: {image: b}'].join('\n'),
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        code: 'type',
        path: 'services.web.depends_on.db',
        line: 5,
        message: 'services.web.depends_on.db: "condition" is required here',
      }),
    );
  });

  it('accept the string forms compose accepts after interpolation', () => {
    const r = compileCompose(service('read_only: "true"', 'scale: "2"', 'cpus: "0.5"', 'x-wharf-http: "8080"'));
    expect(r.ok).toBe(true);
  });

  it('refuse a file without services, and a service that is not a mapping', () => {
    expect(errors('version: "3"\n')).toContainEqual(
      expect.objectContaining({ code: 'type', message: expect.stringContaining('no "services"') }),
    );
    expect(errors('services: {}\n')).toEqual([
      expect.objectContaining({ path: 'services', message: 'services: the file defines no service' }),
    ]);
    expect(errors('services:\n  web:\n')).toEqual([
      expect.objectContaining({
        path: 'services.web',
        line: 2,
        message: 'services.web: expected a mapping, got nothing (an empty value)',
      }),
    ]);
  });

  it('leave out the services of inactive profiles', () => {
    const r = compileCompose(service('', '', '').concat('\n  debug:\n    profiles: [debug]\n    imgae: x\n'));
    expect(r.ok).toBe(true);
  });
});

describe('COMPOSE_SPEC_KEYS', () => {
  it('lists the top-level, service and nested keys of the specification', () => {
    expect(COMPOSE_SPEC_KEYS.top).toEqual([
      'version',
      'name',
      'include',
      'services',
      'models',
      'networks',
      'volumes',
      'secrets',
      'configs',
    ]);
    expect(COMPOSE_SPEC_KEYS.service).toEqual(
      expect.arrayContaining(['image', 'ports', 'deploy', 'healthcheck', 'use_api_socket']),
    );
    expect(COMPOSE_SPEC_KEYS.service.length).toBeGreaterThan(90);
    expect(COMPOSE_SPEC_KEYS['service.deploy.resources.limits']).toEqual(['cpus', 'memory', 'pids']);
    expect(COMPOSE_SPEC_KEYS['service.ports[]']).toEqual([
      'name',
      'mode',
      'host_ip',
      'target',
      'published',
      'protocol',
      'app_protocol',
    ]);
    for (const spot of [
      'network',
      'volume',
      'secret',
      'config',
      'service.healthcheck',
      'service.volumes[]',
      'service.depends_on.*',
      'service.logging',
    ]) {
      expect(COMPOSE_SPEC_KEYS[spot], spot).toBeDefined();
    }
    expect(Object.keys(COMPOSE_SPEC_KEYS).some((k) => k.startsWith('wharf.'))).toBe(false);
  });
});

describe('suggestions', () => {
  it('measure edits with transpositions', () => {
    expect(editDistance('ports', 'prots')).toBe(1);
    expect(editDistance('image', 'imgae')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('stay quiet when nothing is close', () => {
    expect(closest('zzz', ['ports', 'image'])).toBeUndefined();
    expect(closest('pid', ['ipc'])).toBeUndefined();
  });
});
