'use client';

import { useId } from 'react';

export interface RowSelectProps<V extends string> {
  /** For screen readers: the row shows what the select is about (`Plan of Acme`). */
  label: string;
  value: V;
  options: readonly V[];
  optionLabel: (value: V) => string;
  onChange: (value: V) => void;
  disabled?: boolean;
  /** Why it is disabled. */
  title?: string | undefined;
  testId?: string;
}

/** A compact select inside a table row, with a visually hidden label. */
export function RowSelect<V extends string>({
  label,
  value,
  options,
  optionLabel,
  onChange,
  disabled,
  title,
  testId,
}: RowSelectProps<V>) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select
        id={id}
        className="select select-compact"
        value={value}
        data-testid={testId}
        disabled={disabled}
        title={title}
        // The options are the values of `options`, so the chosen one is a V.
        onChange={(event) => onChange(event.target.value as V)}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </>
  );
}
