'use client';

import { type ReactNode, useEffect, useState } from 'react';
import { linesOf } from './stack-form';

export interface ControlProps {
  id: string;
  label: string;
  hint?: string | undefined;
  /** A problem the form found in the value. */
  error?: string | undefined;
}

/** A label over its control, with a hint and an error wired through `aria-describedby`. */
export function Labelled({
  id,
  label,
  hint,
  error,
  children,
}: ControlProps & { children: (describedBy: string | undefined) => ReactNode }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(describedBy)}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" data-testid="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A text input bound to a string. */
export function TextControl({
  value,
  onChange,
  mono = true,
  placeholder,
  ...props
}: ControlProps & { value: string; onChange: (value: string) => void; mono?: boolean; placeholder?: string | undefined }) {
  return (
    <Labelled {...props}>
      {(describedBy) => (
        <input
          id={props.id}
          className={mono ? 'input input-mono' : 'input'}
          value={value}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={describedBy}
          aria-invalid={props.error ? true : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Labelled>
  );
}

/** A whole-number input; blank reads as `undefined`. */
export function NumberControl({
  value,
  onChange,
  min,
  max,
  ...props
}: ControlProps & { value: number | undefined; onChange: (value: number | undefined) => void; min: number; max: number }) {
  return (
    <Labelled {...props}>
      {(describedBy) => (
        <input
          id={props.id}
          className="input"
          type="number"
          min={min}
          max={max}
          step={1}
          value={value === undefined || Number.isNaN(value) ? '' : value}
          aria-describedby={describedBy}
          aria-invalid={props.error ? true : undefined}
          onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
        />
      )}
    </Labelled>
  );
}

/**
 * A textarea of one entry per line, bound to a list. It keeps its own text while typing (a new empty line is no
 * entry yet) and takes the list again when it changes from outside.
 */
export function LinesControl({
  value,
  onChange,
  rows = 3,
  placeholder,
  ...props
}: ControlProps & { value: readonly string[]; onChange: (value: string[]) => void; rows?: number; placeholder?: string }) {
  const [text, setText] = useState(value.join('\n'));
  const outside = JSON.stringify(value);
  useEffect(() => {
    setText((current) => (JSON.stringify(linesOf(current)) === outside ? current : (JSON.parse(outside) as string[]).join('\n')));
  }, [outside]);
  return (
    <Labelled {...props}>
      {(describedBy) => (
        <textarea
          id={props.id}
          className="input input-mono"
          rows={rows}
          value={text}
          placeholder={placeholder}
          spellCheck={false}
          aria-describedby={describedBy}
          onChange={(event) => {
            setText(event.target.value);
            onChange(linesOf(event.target.value));
          }}
        />
      )}
    </Labelled>
  );
}

/** A select of fixed options. */
export function SelectControl<V extends string>({
  value,
  options,
  optionLabel,
  onChange,
  ...props
}: ControlProps & { value: V; options: readonly V[]; optionLabel: (value: V) => string; onChange: (value: V) => void }) {
  return (
    <Labelled {...props}>
      {(describedBy) => (
        <select
          id={props.id}
          className="select"
          value={value}
          aria-describedby={describedBy}
          aria-invalid={props.error ? true : undefined}
          // The options are the values of `options`, so the chosen one is a V.
          onChange={(event) => onChange(event.target.value as V)}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}
