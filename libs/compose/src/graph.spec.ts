import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import { DependencyCycleError, dependencyGraph } from './graph.js';

describe('dependencyGraph', () => {
  it('orders services after what they depend on, in layers', () => {
    const graph = dependencyGraph([
      { name: 'web', dependsOn: [{ service: 'api', condition: 'healthy' }] },
      { name: 'api', dependsOn: [{ service: 'db' }, { service: 'cache', required: false }] },
      { name: 'db', dependsOn: [] },
      { name: 'cache', dependsOn: [] },
      { name: 'cron', dependsOn: [{ service: 'db' }] },
    ]);
    expect(graph.layers).toEqual([['db', 'cache'], ['api', 'cron'], ['web']]);
    expect(graph.order).toEqual(['db', 'cache', 'api', 'cron', 'web']);
    expect(graph.edges).toEqual([
      { from: 'web', to: 'api', condition: 'healthy', required: true },
      { from: 'api', to: 'db', condition: 'started', required: true },
      { from: 'api', to: 'cache', condition: 'started', required: false },
      { from: 'cron', to: 'db', condition: 'started', required: true },
    ]);
  });

  it('leaves out edges to services it was not given', () => {
    expect(dependencyGraph([{ name: 'a', dependsOn: [{ service: 'gone' }] }])).toEqual({
      order: ['a'],
      layers: [['a']],
      edges: [],
    });
  });

  it('throws a DependencyCycleError naming the cycle', () => {
    const cyclic = () =>
      dependencyGraph([
        { name: 'a', dependsOn: [{ service: 'b' }] },
        { name: 'b', dependsOn: [{ service: 'a' }] },
      ]);
    expect(cyclic).toThrow(DependencyCycleError);
    expect(cyclic).toThrow('depends_on cycle: a → b → a');
  });
});

describe('cycles in a compose file', () => {
  it('are an error naming the cycle in order, at the first edge', () => {
    const r = compileCompose(
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    depends_on: [api]',
        '  api:',
        '    image: api',
        '    depends_on:',
        '      worker: {condition: service_started}',
        '  worker:',
        '    image: api',
        '    links: [web]',
      ].join('\n'),
    );
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        code: 'cycle',
        severity: 'error',
        path: 'services.web.depends_on[0]',
        line: 4,
        message: 'depends_on cycle: web → api → worker → web',
      }),
    ]);
  });

  it('include a service depending on itself', () => {
    const r = compileCompose('services:\n  a:\n    image: a\n    depends_on: [a]\n');
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.path, e.message])).toEqual([
      ['cycle', 'services.a.depends_on[0]', 'depends_on cycle: a → a'],
    ]);
  });
});
