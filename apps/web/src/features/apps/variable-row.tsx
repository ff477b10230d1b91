'use client';

import { type Variable, variableRoutes } from '@wharf/contracts';
import { useState } from 'react';
import { ACTIONS_HEADER, type ColumnHeader, DangerRowButton } from '@/components/data-table';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { VariableValue } from './variable-value';

/** The headers of the cells a `VariableRow` renders. */
export const VARIABLE_COLUMNS: readonly ColumnHeader[] = [
  { id: 'key', header: 'apps.variables.key' },
  { id: 'value', header: 'apps.variables.value', className: 'cell-grow' },
  { id: 'updated', header: 'apps.variables.updated', className: 'hide-sm' },
  ACTIONS_HEADER,
];

export interface VariableRowProps {
  variable: Variable;
  /** Default: production. */
  environment?: string | undefined;
  onEdit: (variable: Variable, value: string | null) => void;
  onRemove: (variable: Variable) => void;
}

type CopyState = 'idle' | 'copied' | 'failed';

export function VariableRow({ variable, environment, onEdit, onRemove }: VariableRowProps) {
  const { t, formatDateTime } = useI18n();
  const { denial } = useTenant();
  const { params } = useApp();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  const reveal = useAction(() =>
    api(variableRoutes.reveal, {
      params: { ...params, key: variable.key },
      query: environment === undefined ? undefined : { environment },
    }),
  );
  const writeBlocked = denial('apps.write');
  const revealBlocked = denial('apps.secrets.reveal');

  const value = variable.secret ? revealed : variable.value;

  async function onReveal() {
    const result = await reveal.run();
    if (result.ok) setRevealed(result.value.value);
  }

  async function onCopy() {
    if (value === null) return;
    try {
      await navigator.clipboard.writeText(value);
      setCopy('copied');
    } catch {
      setCopy('failed'); // no clipboard here (insecure context, denied): the value stays readable to select
    }
    setTimeout(() => setCopy('idle'), 3_000);
  }

  return (
    <>
      <tr data-testid="variable-row" data-key={variable.key} data-secret={String(variable.secret)}>
        <td className="cell-key">
          <code className="cell-primary break-anywhere">{variable.key}</code>
          {variable.secret && <span className="cell-secondary">{t('apps.variables.secret')}</span>}
        </td>
        <td className="cell-grow">
          <VariableValue value={value} />
        </td>
        <td className="hide-sm nowrap">{formatDateTime(variable.updatedAt)}</td>
        <td className="cell-actions">
          <span className="row-actions">
            {variable.secret &&
              (revealed === null ? (
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={!!revealBlocked || reveal.pending}
                  aria-busy={reveal.pending}
                  title={revealBlocked ?? undefined}
                  onClick={() => void onReveal()}
                >
                  {t('apps.variables.reveal')}
                </button>
              ) : (
                <button type="button" className="button button-secondary button-small" onClick={() => setRevealed(null)}>
                  {t('apps.variables.hide')}
                </button>
              ))}
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={value === null}
              title={value === null ? t('apps.variables.revealFirst') : undefined}
              onClick={() => void onCopy()}
            >
              {copy === 'copied' ? t('apps.variables.copied') : t('common.copy')}
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={!!writeBlocked}
              title={writeBlocked ?? undefined}
              onClick={() => onEdit(variable, value)}
            >
              {t('apps.variables.edit')}
            </button>
            <DangerRowButton blocked={writeBlocked} onClick={() => onRemove(variable)}>
              {t('apps.variables.remove')}
            </DangerRowButton>
          </span>
          <span className="visually-hidden" aria-live="polite">
            {copy === 'copied' ? t('common.copied') : ''}
          </span>
        </td>
      </tr>
      {(reveal.error || copy === 'failed') && (
        <tr className="row-error">
          <td colSpan={VARIABLE_COLUMNS.length}>
            {reveal.error ? (
              <ProblemAlert error={reveal.error} />
            ) : (
              <p className="field-error">{t('apps.variables.copyFailed')}</p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
