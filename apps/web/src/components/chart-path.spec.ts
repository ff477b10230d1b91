import { describe, expect, it } from 'vitest';
import { chartPath } from './chart-path';

const FROM = Date.parse('2026-11-29T12:00:00Z');
const at = (seconds: number) => new Date(FROM + seconds * 1000).toISOString();
const span = { from: FROM, to: FROM + 100_000, max: 10, gapMs: 20_000 };
const size = { width: 100, height: 110 };

describe('chartPath', () => {
  it('places points by time across the width and by value up to the max (with headroom)', () => {
    // top of the axis: 10 × 1.1 = 11 → 10 px per unit of value
    expect(
      chartPath(
        [
          { at: at(0), value: 0 },
          { at: at(10), value: 5 },
          { at: at(20), value: 10 },
        ],
        span,
        size,
      ),
    ).toBe('M0.0 110.0 l0 0 L10.0 60.0 L20.0 10.0');
  });

  it('breaks the line where samples are missing, and shows a lone sample as a dot', () => {
    expect(
      chartPath(
        [
          { at: at(0), value: 1 },
          { at: at(50), value: 1 },
          { at: at(60), value: 1 },
        ],
        span,
        size,
      ),
    ).toBe('M0.0 100.0 l0 0 M50.0 100.0 l0 0 L60.0 100.0');
  });

  it('draws nothing without points, and keeps all-zero values on the floor', () => {
    expect(chartPath([], span, size)).toBe('');
    expect(chartPath([{ at: at(0), value: 0 }], { ...span, max: 0 }, size)).toBe('M0.0 110.0 l0 0');
  });
});
