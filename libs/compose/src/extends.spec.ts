import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import { resolveExtends } from './extends.js';
import { parseYaml } from './parse.js';
import { Report } from './report.js';
import { isMap, SourceMap, type YValue } from './tree.js';

function resolve(source: string) {
  const map = new SourceMap('compose.yml');
  const report = new Report(map);
  parseYaml(source, map, report);
  const root = map.root;
  const services = isMap(root) ? root.get('services') : undefined;
  if (!isMap(services)) throw new Error('no services');
  resolveExtends(services, map, report);
  const service = (name: string) => plain(services.get(name) ?? null) as Record<string, unknown>;
  return { service, report, map };
}

function plain(v: YValue): unknown {
  if (isMap(v)) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

describe('extends', () => {
  it('copies the base and merges mappings key by key, the extending service winning', () => {
    const { service } = resolve(
      [
        'services:',
        '  base:',
        '    image: app:1',
        '    user: "1000"',
        '    deploy: {replicas: 2, resources: {limits: {cpus: "1"}}}',
        '  web:',
        '    extends: base',
        '    user: "2000"',
        '    deploy: {resources: {limits: {memory: 1g}}}',
      ].join('\n'),
    );
    expect(service('web')).toEqual({
      image: 'app:1',
      user: '2000',
      deploy: { replicas: 2, resources: { limits: { cpus: '1', memory: '1g' } } },
      extends: 'base',
    });
  });

  it('replaces command, entrypoint and healthcheck.test; appends other sequences without repeats', () => {
    const { service } = resolve(
      [
        'services:',
        '  base:',
        '    command: [a, b]',
        '    entrypoint: x',
        '    dns: [1.1.1.1]',
        '    cap_drop: [ALL]',
        '    healthcheck: {test: [CMD, a], interval: 5s}',
        '  web:',
        '    extends: {service: base}',
        '    command: c',
        '    dns: [8.8.8.8, 1.1.1.1]',
        '    healthcheck: {test: [CMD, b]}',
      ].join('\n'),
    );
    expect(service('web')).toMatchObject({
      command: 'c',
      entrypoint: 'x',
      dns: ['1.1.1.1', '8.8.8.8'],
      cap_drop: ['ALL'],
      healthcheck: { test: ['CMD', 'b'], interval: '5s' },
    });
  });

  it('merges environment and labels as mappings, whatever form each side uses', () => {
    const { service } = resolve(
      [
        'services:',
        '  base:',
        '    environment: [A=1, B=2, C]',
        '    labels: {x: "1"}',
        '  web:',
        '    extends: base',
        '    environment: {B: "3", D: "4"}',
        '    labels: [y=2]',
      ].join('\n'),
    );
    expect(service('web')).toMatchObject({ environment: { A: '1', B: '3', C: null, D: '4' }, labels: { x: '1', y: '2' } });
  });

  it('merges ports, volumes, secrets and configs by their unique key', () => {
    const { service } = resolve(
      [
        'services:',
        '  base:',
        '    ports: ["80:80", "443"]',
        '    volumes: [data:/data, logs:/logs]',
        '    secrets: [a, {source: b, target: /etc/b}]',
        '  web:',
        '    extends: base',
        '    ports: ["80:80", "9000"]',
        '    volumes: [other:/data]',
        '    secrets: [{source: c, target: /etc/b}]',
      ].join('\n'),
    );
    expect(service('web')).toMatchObject({
      ports: ['80:80', '443', '9000'],
      volumes: ['other:/data', 'logs:/logs'],
      secrets: ['a', { source: 'c', target: '/etc/b' }],
    });
  });

  it('does not inherit depends_on or volumes_from', () => {
    const { service } = resolve(
      'services:\n  db: {image: db}\n  base:\n    image: a\n    depends_on: [db]\n  web:\n    extends: base\n',
    );
    expect(service('web')).toEqual({ image: 'a', extends: 'base' });
  });

  it('resolves chains in any order', () => {
    const { service } = resolve(
      'services:\n  c:\n    extends: b\n    user: c\n  b:\n    extends: a\n    hostname: b\n  a:\n    image: a\n    user: a\n',
    );
    expect(service('c')).toEqual({ image: 'a', user: 'c', hostname: 'b', extends: 'b' });
  });

  it('names a cycle', () => {
    const { report } = resolve('services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n');
    expect(report.errors).toEqual([
      expect.objectContaining({ code: 'cycle', path: 'services.c.extends', line: 8, message: 'extends cycle: a → b → c → a' }),
    ]);
  });

  it('names a service extending itself', () => {
    const { report } = resolve('services:\n  a:\n    extends: a\n');
    expect(report.errors[0]).toMatchObject({ code: 'cycle', message: 'extends cycle: a → a', line: 3 });
  });

  it('refuses an unknown base with a suggestion, and extends.file', () => {
    const { report } = resolve(
      'services:\n  base: {image: a}\n  web:\n    extends: bsae\n  api:\n    extends: {file: other.yml, service: base}\n',
    );
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'reference',
        line: 4,
        message: 'services.web.extends: there is no service "bsae" to extend; did you mean "base"?',
      }),
      expect.objectContaining({ code: 'unsupported', path: 'services.api.extends.file', line: 6 }),
    ]);
  });

  it('reports an inherited key where the base writes it', () => {
    const r = compileCompose('services:\n  base:\n    image: a\n    privileged: true\n  web:\n    extends: base\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => [e.path, e.line])).toEqual([
        ['services.base.privileged', 4],
        ['services.web.privileged', 4],
      ]);
    }
  });

  it('compiles an extending service', () => {
    const r = compileCompose(
      'services:\n  base:\n    image: app\n    environment: {A: "1"}\n  worker:\n    extends: base\n    command: run worker\n',
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.stack.services.find((s) => s.name === 'worker')).toMatchObject({
        image: 'docker.io/library/app:latest',
        env: { A: '1' },
        command: ['run', 'worker'],
      });
    }
  });
});
