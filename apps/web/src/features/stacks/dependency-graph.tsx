'use client';

import { useId } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { conditionName, type DependencyGraph, fitName, layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './graph-layout';

/**
 * The order the stack's services start in: layers left to right, an arrow from each service to those that wait
 * for it, labelled with what they wait for (started, healthy, completed). The same facts as a list for screen
 * readers.
 */
export function DependencyGraphView({ graph }: { graph: Pick<DependencyGraph, 'layers' | 'edges'> }) {
  const { t, formatList } = useI18n();
  const id = useId();
  const layout = layoutGraph(graph);
  const arrow = `${id}-arrow`;
  const condition = (c: string) => {
    const name = conditionName(c);
    return name === 'started' || name === 'healthy' || name === 'completed' ? t(`stacks.condition.${name}`) : name;
  };

  if (layout.nodes.length === 0) return <p className="muted">{t('stacks.graph.empty')}</p>;
  return (
    <div className="graph-wrap">
      <svg
        className="graph"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-list`}
        data-testid="dependency-graph"
      >
        <title id={`${id}-title`}>{t('stacks.graph.title')}</title>
        <defs>
          <marker id={arrow} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="graph-arrowhead" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <g key={`${edge.from}->${edge.to}`} className="graph-edge" data-from={edge.from} data-to={edge.to}>
            <path
              d={edge.d}
              className={edge.required ? 'graph-line' : 'graph-line graph-line-optional'}
              markerEnd={`url(#${arrow})`}
            />
            <text x={edge.labelX} y={edge.labelY - 6} textAnchor="middle" className="graph-label">
              {condition(edge.condition)}
            </text>
          </g>
        ))}
        {layout.nodes.map((node) => (
          <g key={node.name} className="graph-node" data-testid="graph-node" data-name={node.name}>
            <title>{node.name}</title>
            <rect x={node.x} y={node.y} width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} />
            <text x={node.x + NODE_WIDTH / 2} y={node.y + NODE_HEIGHT / 2} textAnchor="middle" dominantBaseline="central">
              {fitName(node.name)}
            </text>
          </g>
        ))}
      </svg>
      <ul id={`${id}-list`} className="visually-hidden">
        {graph.layers.flat().map((name) => {
          const waits = graph.edges.filter((e) => e.from === name);
          return (
            <li key={name}>
              {waits.length === 0
                ? t('stacks.graph.startsFirst', { service: name })
                : t('stacks.graph.waits', {
                    service: name,
                    others: formatList(waits.map((e) => `${e.to} (${condition(e.condition)})`)),
                  })}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
