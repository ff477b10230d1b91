import { dependencyCycle, dependencyLayers } from '@wharf/engine';
import type { DependencyCondition, DependencyGraph } from './types.js';

/*
 * The dependency graph of a stack's services: the order to deploy them in, the layers that can go together, and
 * the edges. Pure.
 */

export interface GraphService {
  name: string;
  dependsOn: readonly { service: string; condition?: DependencyCondition; required?: boolean }[];
}

export class DependencyCycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`depends_on cycle: ${cycle.join(' → ')}`);
    this.name = 'DependencyCycleError';
  }
}

/** The first cycle of dependencies, as the names along it with the first repeated at the end (`a → b → a`). */
export function findDependencyCycle(services: readonly GraphService[]): string[] | undefined {
  return dependencyCycle(services);
}

/**
 * The graph of `services` (edges to services not in the list are left out). Throws `DependencyCycleError` on a
 * cycle: `compileCompose` reports cycles as issues before it builds the graph.
 */
export function dependencyGraph(services: readonly GraphService[]): DependencyGraph {
  const names = new Set(services.map((s) => s.name));
  const nodes = services.map((s) => ({ name: s.name, dependsOn: s.dependsOn.filter((d) => names.has(d.service)) }));
  const cycle = dependencyCycle(nodes);
  if (cycle) throw new DependencyCycleError(cycle);
  const layers = dependencyLayers(nodes);
  return {
    order: layers.flat(),
    layers,
    edges: nodes.flatMap((s) =>
      s.dependsOn.map((d) => ({
        from: s.name,
        to: d.service,
        condition: d.condition ?? 'started',
        required: d.required ?? true,
      })),
    ),
  };
}
