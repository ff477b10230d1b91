import { describe, expect, it } from 'vitest';
import { conditionName, fitName, graphOfForm, layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './graph-layout';
import type { ServiceForm } from './stack-form';

describe('layoutGraph', () => {
  it('puts layers left to right and draws each edge from the awaited service to the waiting one', () => {
    const layout = layoutGraph({
      layers: [['api'], ['web']],
      edges: [{ from: 'web', to: 'api', condition: 'started', required: true }],
    });
    const [api, web] = layout.nodes;
    expect(api?.layer).toBe(0);
    expect(web?.layer).toBe(1);
    expect((web?.x ?? 0) - (api?.x ?? 0)).toBeGreaterThan(NODE_WIDTH);
    expect(api?.y).toBe(web?.y);

    const [edge] = layout.edges;
    const start = `M ${(api?.x ?? 0) + NODE_WIDTH} ${(api?.y ?? 0) + NODE_HEIGHT / 2}`;
    expect(edge?.d.startsWith(start)).toBe(true);
    expect(edge?.d.endsWith(`${web?.x} ${(web?.y ?? 0) + NODE_HEIGHT / 2}`)).toBe(true);
    expect(edge?.labelX).toBeGreaterThan((api?.x ?? 0) + NODE_WIDTH);
    expect(edge?.labelX).toBeLessThan(web?.x ?? 0);
  });

  it('fits every box inside the drawing and centres shorter layers', () => {
    const layout = layoutGraph({
      layers: [['db', 'cache', 'queue'], ['api'], ['web', 'worker']],
      edges: [
        { from: 'api', to: 'db', condition: 'healthy', required: true },
        { from: 'worker', to: 'queue', condition: 'started', required: false },
      ],
    });
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.y).toBeGreaterThanOrEqual(0);
      expect(node.x + NODE_WIDTH).toBeLessThanOrEqual(layout.width);
      expect(node.y + NODE_HEIGHT).toBeLessThanOrEqual(layout.height);
    }
    const y = (name: string) => layout.nodes.find((n) => n.name === name)?.y ?? -1;
    expect(y('api')).toBe(y('cache'));
    expect((y('web') + y('worker')) / 2).toBe(y('cache'));
    expect(layout.edges.map((e) => [e.from, e.required])).toEqual([
      ['api', true],
      ['worker', false],
    ]);
  });

  it('leaves out edges to services it does not draw, and draws nothing for no services', () => {
    expect(
      layoutGraph({ layers: [['web']], edges: [{ from: 'web', to: 'gone', condition: 'started', required: true }] }).edges,
    ).toEqual([]);
    expect(layoutGraph({ layers: [], edges: [] })).toEqual({ width: 0, height: 0, nodes: [], edges: [] });
  });
});

describe('fitName', () => {
  it('cuts long names with an ellipsis', () => {
    expect(fitName('web')).toBe('web');
    expect(fitName('a-very-long-service-name', 10)).toBe('a-very-lo…');
  });
});

describe('conditionName', () => {
  it('shortens compose conditions and keeps the short ones', () => {
    expect(conditionName('service_completed_successfully')).toBe('completed');
    expect(conditionName('service_healthy')).toBe('healthy');
    expect(conditionName('started')).toBe('started');
  });
});

describe('graphOfForm', () => {
  const service = (name: string, ...deps: [string, ServiceForm['dependsOn'][number]['condition']][]): ServiceForm => ({
    name,
    environment: [],
    ports: [],
    volumes: [],
    dependsOn: deps.map(([s, condition]) => ({ service: s, condition })),
  });

  it('layers the services by their dependencies, with the short condition names', () => {
    const graph = graphOfForm({
      services: [
        service('web', ['api', 'service_healthy']),
        service('api', ['db', 'service_started']),
        service('db'),
        service('job'),
      ],
      volumes: [],
    });
    expect(graph).toEqual({
      layers: [['db', 'job'], ['api'], ['web']],
      edges: [
        { from: 'web', to: 'api', condition: 'healthy', required: true },
        { from: 'api', to: 'db', condition: 'started', required: true },
      ],
    });
  });

  it('ignores dependencies on services the stack lacks, and gives up on a cycle', () => {
    expect(graphOfForm({ services: [service('web', ['gone', 'service_started'])], volumes: [] })).toEqual({
      layers: [['web']],
      edges: [],
    });
    expect(
      graphOfForm({ services: [service('a', ['b', 'service_started']), service('b', ['a', 'service_started'])], volumes: [] }),
    ).toBeNull();
  });
});
