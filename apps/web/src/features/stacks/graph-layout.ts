import type { RouteOutput, stackRoutes } from '@wharf/contracts';
import type { StackForm } from './stack-form';

/** The dependency graph of a stack: services in layers (each depends only on earlier ones) and the edges. */
export type DependencyGraph = NonNullable<RouteOutput<typeof stackRoutes.get>['graph']>;

export const NODE_WIDTH = 136;
export const NODE_HEIGHT = 40;
/** Between layers: room for an edge and its label. */
const COLUMN_GAP = 104;
const ROW_GAP = 28;
const PADDING = 12;

export interface NodeBox {
  name: string;
  layer: number;
  x: number;
  y: number;
}

export interface EdgePath {
  /** The service that waits (`depends_on` is written under it). */
  from: string;
  /** The service it waits for. */
  to: string;
  condition: string;
  required: boolean;
  /** SVG path data, from the right side of `to` to the left side of `from`. */
  d: string;
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: NodeBox[];
  edges: EdgePath[];
}

/**
 * Boxes and arrows for the graph: layers left to right in deployment order, each layer's services stacked and
 * centred; an arrow runs from a service to each service that waits for it. Edges naming a service outside the
 * layers are left out.
 */
export function layoutGraph(graph: Pick<DependencyGraph, 'layers' | 'edges'>): GraphLayout {
  const layers = graph.layers.filter((layer) => layer.length > 0);
  const tallest = Math.max(0, ...layers.map((layer) => layer.length));
  const columnHeight = (count: number) => count * NODE_HEIGHT + Math.max(0, count - 1) * ROW_GAP;
  const innerHeight = columnHeight(tallest);

  const nodes = layers.flatMap((layer, index) => {
    const top = PADDING + (innerHeight - columnHeight(layer.length)) / 2;
    return layer.map((name, row) => ({
      name,
      layer: index,
      x: PADDING + index * (NODE_WIDTH + COLUMN_GAP),
      y: top + row * (NODE_HEIGHT + ROW_GAP),
    }));
  });
  const byName = new Map(nodes.map((node) => [node.name, node]));

  const edges = graph.edges.flatMap((edge) => {
    const waiting = byName.get(edge.from);
    const awaited = byName.get(edge.to);
    if (!waiting || !awaited) return [];
    const x1 = awaited.x + NODE_WIDTH;
    const y1 = awaited.y + NODE_HEIGHT / 2;
    const x2 = waiting.x;
    const y2 = waiting.y + NODE_HEIGHT / 2;
    const bend = (x1 + x2) / 2;
    return [
      {
        ...edge,
        d: `M ${x1} ${y1} C ${bend} ${y1}, ${bend} ${y2}, ${x2} ${y2}`,
        labelX: bend,
        labelY: (y1 + y2) / 2,
      },
    ];
  });

  const columns = layers.length;
  return {
    width: columns === 0 ? 0 : PADDING * 2 + columns * NODE_WIDTH + (columns - 1) * COLUMN_GAP,
    height: columns === 0 ? 0 : PADDING * 2 + innerHeight,
    nodes,
    edges,
  };
}

/** A service name that fits a box: cut with an ellipsis past `max` characters. */
export function fitName(name: string, max = 16): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}

/** `started`, `healthy`, `completed`: the condition the edge's label names (compose's long names shortened). */
export function conditionName(condition: string): string {
  return condition.replace(/^service_/, '').replace(/_successfully$/, '');
}

/**
 * The graph of a form draft, as the API would compute it from the YAML the form writes: so the drawing follows
 * form edits before they are saved. `null` when the dependencies go round in a cycle (the API reports it).
 */
export function graphOfForm(form: StackForm): Pick<DependencyGraph, 'layers' | 'edges'> | null {
  const names = new Set(form.services.map((s) => s.name));
  const remaining = new Map(
    form.services.map((s) => [s.name, new Set(s.dependsOn.map((d) => d.service).filter((d) => names.has(d)))]),
  );
  const layers: string[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => [...deps].every((d) => !remaining.has(d))).map(([name]) => name);
    if (ready.length === 0) return null;
    layers.push(ready);
    for (const name of ready) remaining.delete(name);
  }
  const edges = form.services.flatMap((s) =>
    s.dependsOn
      .filter((d) => names.has(d.service))
      .map((d) => ({ from: s.name, to: d.service, condition: conditionName(d.condition), required: true })),
  );
  return { layers, edges };
}
