'use client';

import { useId } from 'react';
import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { duplicateKeys, type VariableRow } from './read-app-form';

export interface VariablesEditorProps {
  rows: readonly VariableRow[];
  onChange: (rows: VariableRow[]) => void;
  /** The create call's failure: its `body.env.*` and `body.secrets.*` messages are shown here. */
  error: ApiError | undefined;
}

let nextRowId = 1;
export function newVariableRow(): VariableRow {
  nextRowId += 1;
  return { id: nextRowId, key: '', value: '', secret: false };
}

/** Key/value rows with a "secret" toggle: secrets are stored encrypted and shown masked afterwards. */
export function VariablesEditor({ rows, onChange, error }: VariablesEditorProps) {
  const { t } = useI18n();
  const baseId = useId();
  const duplicates = duplicateKeys(rows);
  const apiErrors = (error?.fieldErrors ?? []).filter((e) => /^body\.(env|secrets)(\.|$)/.test(e.path));

  function update(id: number, change: Partial<VariableRow>) {
    onChange(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  }

  return (
    <fieldset className="fieldset" data-testid="variables-editor">
      <legend className="field-label">{t('apps.create.variables')}</legend>
      <p className="field-hint">{t('apps.create.variablesHint')}</p>
      {rows.map((row, index) => {
        const id = `${baseId}-${row.id}`;
        const duplicate = duplicates.has(row.key.trim());
        return (
          <div className="kv-row" key={row.id} data-testid="variable-input-row">
            <div className="field">
              <label htmlFor={`${id}-key`} className="field-label">
                {t('apps.variables.key')}
              </label>
              <input
                id={`${id}-key`}
                className="input input-mono"
                value={row.key}
                maxLength={256}
                pattern="[A-Za-z_][A-Za-z0-9_]*"
                autoComplete="off"
                spellCheck={false}
                aria-invalid={duplicate || undefined}
                onChange={(event) => update(row.id, { key: event.target.value })}
              />
              {duplicate && <p className="field-error">{t('apps.create.duplicateKey')}</p>}
            </div>
            <div className="field">
              <label htmlFor={`${id}-value`} className="field-label">
                {t('apps.variables.value')}
              </label>
              <textarea
                id={`${id}-value`}
                className="input input-mono"
                rows={1}
                value={row.value}
                maxLength={32_768}
                spellCheck={false}
                autoComplete="off"
                onChange={(event) => update(row.id, { value: event.target.value })}
              />
            </div>
            <label className="checkbox kv-secret">
              <input
                type="checkbox"
                checked={row.secret}
                onChange={(event) => update(row.id, { secret: event.target.checked })}
              />
              {t('apps.variables.secret')}
            </label>
            <button
              type="button"
              className="button button-danger-ghost kv-remove"
              aria-label={t('apps.create.removeVariable', { n: index + 1 })}
              onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
            >
              {t('apps.create.remove')}
            </button>
          </div>
        );
      })}
      {apiErrors.length > 0 && (
        <ul className="field-error alert-list" data-testid="field-error">
          {apiErrors.map((e) => (
            <li key={`${e.path}:${e.code}`}>
              <code>{e.path.replace(/^body\.(env|secrets)\.?/, '') || t('apps.create.variables')}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      <div>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => onChange([...rows, newVariableRow()])}
        >
          {t('apps.create.addVariable')}
        </button>
      </div>
    </fieldset>
  );
}
