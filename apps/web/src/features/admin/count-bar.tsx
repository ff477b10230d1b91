'use client';

type Tone = 'ok' | 'warning' | 'danger';

/** A small bar: `value` out of `max` (empty when max is 0), labelled for screen readers. */
export function CountBar({ value, max, label, tone = 'ok' }: { value: number; max: number; label: string; tone?: Tone }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="usage-compact">
      <div
        className={`usage-track usage-${tone}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(value, max)}
      >
        <div className="usage-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
