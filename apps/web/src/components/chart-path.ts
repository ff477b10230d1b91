/* The geometry of LineChart: where its points go in the SVG's box. */

export interface ChartPoint {
  /** ISO time. */
  at: string;
  value: number;
}

/** Room above the highest value, so a line at the top stays visible. */
export const HEADROOM = 1.1;

export interface ChartSpan {
  /** The time span drawn (Unix ms). */
  from: number;
  to: number;
  /** The top of the value axis (before the headroom); 0: nothing to scale by. */
  max: number;
  /** Two points further apart than this are not joined (samples were missing between them). */
  gapMs: number;
}

/** SVG path data (`M x y l0 0 L x y …`) of the points, placed by time, broken where samples are missing. */
export function chartPath(points: readonly ChartPoint[], span: ChartSpan, size = { width: 320, height: 80 }): string {
  const range = Math.max(1, span.to - span.from);
  const top = span.max > 0 ? span.max * HEADROOM : 1;
  let previous: number | undefined;
  const parts: string[] = [];
  for (const point of points) {
    const time = Date.parse(point.at);
    if (Number.isNaN(time)) continue;
    const x = ((time - span.from) / range) * size.width;
    const y = size.height - (Math.max(0, point.value) / top) * size.height;
    const joined = previous !== undefined && time - previous <= span.gapMs;
    // a zero-length segment after each start: a lone sample (no neighbour to join) shows as a dot (round cap)
    parts.push(joined ? `L${x.toFixed(1)} ${y.toFixed(1)}` : `M${x.toFixed(1)} ${y.toFixed(1)} l0 0`);
    previous = time;
  }
  return parts.join(' ');
}
