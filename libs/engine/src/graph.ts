/*
 * The order services of a stack are deployed in, from their `dependsOn` edges. Pure.
 */

interface Node {
  name: string;
  dependsOn: readonly { service: string }[];
}

/** The first cycle of `dependsOn` edges, as the names along it (first name repeated at the end), if there is one. */
export function dependencyCycle(services: readonly Node[]): string[] | undefined {
  const edges = new Map(services.map((s) => [s.name, s.dependsOn.map((d) => d.service)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const next of edges.get(name) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const s of services) {
    const found = visit(s.name);
    if (found) return found;
  }
  return undefined;
}

/** Services in layers: each layer depends only on earlier ones (the stack must be free of cycles). */
export function dependencyLayers(services: readonly Node[]): string[][] {
  const remaining = new Map(services.map((s) => [s.name, new Set(s.dependsOn.map((d) => d.service))]));
  const layers: string[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => [...deps].every((d) => !remaining.has(d))).map(([n]) => n);
    if (ready.length === 0) throw new Error('dependency cycle');
    layers.push(ready);
    for (const n of ready) remaining.delete(n);
  }
  return layers;
}
