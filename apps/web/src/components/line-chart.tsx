'use client';

import { type ChartPoint, chartPath, HEADROOM } from './chart-path';

export type { ChartPoint } from './chart-path';

/*
 * A small time-series line chart in plain SVG. For assistive technology the SVG is one image named by `label` (say
 * the latest value there), and the figures themselves are in a visually hidden table.
 */

export interface LineChartProps {
  points: readonly ChartPoint[];
  /** The time span drawn (ISO): points are placed by time, so missing samples show as gaps. */
  from: string;
  to: string;
  /** Two points further apart than this are not joined (samples were missing between them). */
  gapMs: number;
  /** The top of the value axis (e.g. a limit, drawn as a dashed line); default: the largest value. */
  max?: number;
  /** Draws `max` as a dashed line (a limit the values stay under). */
  showMax?: boolean;
  /** The image's accessible name: what the chart shows and its latest value. */
  label: string;
  /** Caption and column headers of the hidden table. */
  caption: string;
  timeHeader: string;
  valueHeader: string;
  formatTime: (iso: string) => string;
  formatValue: (value: number) => string;
}

const WIDTH = 320;
const HEIGHT = 80;

export function LineChart(props: LineChartProps) {
  const { points, label } = props;
  const largest = points.reduce((m, p) => Math.max(m, p.value), 0);
  const max = Math.max(props.max ?? 0, largest);
  const from = Date.parse(props.from);
  const to = Date.parse(props.to);
  const path = chartPath(points, { from, to, max, gapMs: props.gapMs });
  const limit = props.showMax && props.max !== undefined && props.max > 0 ? props.max : undefined;
  const limitY = limit !== undefined ? HEIGHT - (limit / (max * HEADROOM)) * HEIGHT : 0;
  return (
    <figure className="line-chart">
      <svg role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" className="line-chart-svg">
        <title>{label}</title>
        {limit !== undefined && (
          <line className="line-chart-limit" x1={0} x2={WIDTH} y1={limitY} y2={limitY} vectorEffect="non-scaling-stroke" />
        )}
        <line className="line-chart-axis" x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} vectorEffect="non-scaling-stroke" />
        <path className="line-chart-line" d={path} vectorEffect="non-scaling-stroke" />
      </svg>
      <table className="visually-hidden">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.timeHeader}</th>
            <th scope="col">{props.valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.at}>
              <td>{props.formatTime(p.at)}</td>
              <td>{props.formatValue(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
