'use client';

import { type ReactNode, useId } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': boolean | undefined;
}

export interface FieldProps {
  label: string;
  hint?: string | undefined;
  /** Messages the API (or the form) reported for this field. */
  errors?: readonly string[] | undefined;
  children: (control: FieldControlProps) => ReactNode;
}

/** A labelled form control with its hint and its errors wired through `aria-describedby`. */
export function Field({ label, hint, errors = [], children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': errors.length > 0 ? true : undefined })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {errorId && (
        <p id={errorId} className="field-error" data-testid="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
