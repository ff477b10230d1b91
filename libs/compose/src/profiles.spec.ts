import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import type { CompileOptions } from './types.js';

const FILE = [
  'services:',
  '  web:',
  '    image: nginx',
  '  debug:',
  '    image: busybox',
  '    profiles: [debug, tools]',
  '  admin:',
  '    image: adminer',
  '    profiles: [admin]',
].join('\n');

const names = (source: string, options: CompileOptions = {}) => {
  const r = compileCompose(source, options);
  return r.ok ? r.stack.services.map((s) => s.name) : r.errors;
};

describe('profiles', () => {
  it('leave out services whose profiles are not active', () => {
    expect(names(FILE)).toEqual(['web']);
    expect(names(FILE, { profiles: ['tools'] })).toEqual(['web', 'debug']);
    expect(names(FILE, { variables: { COMPOSE_PROFILES: 'admin, debug' } })).toEqual(['web', 'debug', 'admin']);
    expect(names(FILE, { profiles: ['admin'], variables: { COMPOSE_PROFILES: 'debug' } })).toEqual(['web', 'debug', 'admin']);
    expect(names(FILE, { profiles: ['*'] })).toEqual(['web', 'debug', 'admin']);
  });

  it('refuse an active service that needs an inactive one, naming both', () => {
    const source = `${FILE}\n  app:\n    image: app\n    depends_on: [debug]\n    links: [admin]\n`;
    const r = compileCompose(source);
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        code: 'reference',
        path: 'services.app.depends_on[0]',
        line: 12,
        message:
          'services.app.depends_on[0]: "app" needs "debug", which is not active (its profiles: debug, tools; active profiles: none)',
      }),
      expect.objectContaining({ code: 'reference', path: 'services.app.links[0]', line: 13 }),
    ]);
  });

  it('let a dependency that is not required go', () => {
    const source = `${FILE}\n  app:\n    image: app\n    depends_on:\n      debug: {condition: service_started, required: false}\n`;
    expect(names(source)).toEqual(['web', 'app']);
  });
});

describe('the test service', () => {
  const TESTED = [
    'services:',
    '  api:',
    '    image: api',
    '    restart: always',
    '  e2e:',
    '    image: api-tests',
    '    x-wharf-test: true',
    '    command: npm test',
    '    depends_on: [api]',
    '    deploy: {replicas: 3}',
  ].join('\n');

  it('is left out of the deploy stage, and named', () => {
    const r = compileCompose(TESTED);
    expect(r.ok && r.stack.services.map((s) => s.name)).toEqual(['api']);
    expect(r.ok && r.test).toBe('e2e');
  });

  it('runs once, as a job, in the test stage', () => {
    const r = compileCompose(TESTED, { stage: 'test' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.test).toBe('e2e');
    expect(r.stack.services.find((s) => s.name === 'e2e')).toMatchObject({
      mode: 'job',
      replicas: 1,
      restart: { condition: 'none' },
      command: ['npm', 'test'],
    });
    expect(r.stack.services.find((s) => s.name === 'api')?.mode).toBe('replicated');
    expect(r.graph.order).toEqual(['api', 'e2e']);
  });

  it('may be marked by the "test" profile', () => {
    const source = 'services:\n  api: {image: api}\n  tests:\n    image: t\n    profiles: [test]\n';
    expect(names(source)).toEqual(['api']);
    expect(names(source, { stage: 'test' })).toEqual(['api', 'tests']);
  });

  it('is one service at most', () => {
    const r = compileCompose('services:\n  a: {image: a, x-wharf-test: true}\n  b:\n    image: b\n    profiles: [test]\n');
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        code: 'reference',
        path: 'services.b',
        line: 3,
        message: 'services.b: only one test service is allowed, and "a" is already one (x-wharf-test: true or profile "test")',
      }),
    ]);
  });

  it('cannot be needed by a service of the deploy stage', () => {
    const r = compileCompose('services:\n  a:\n    image: a\n    depends_on: [t]\n  t: {image: t, x-wharf-test: true}\n');
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([
      'services.a.depends_on[0]: "a" needs "t", which is the test service, which runs in the test stage only',
    ]);
  });
});
