'use client';

import { useId, useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Longer values start folded to a few lines; they always wrap, never truncate sideways. */
const FOLD_CHARS = 160;
const FOLD_LINES = 3;

export const MASK = '••••••••';

/** A variable's value: wrapped, folded when long with a toggle, or the mask for a hidden secret. */
export function VariableValue({ value }: { value: string | null }) {
  const { t } = useI18n();
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  if (value === null) {
    return (
      <span className="var-masked" data-testid="variable-value" data-masked="true">
        <span aria-hidden="true">{MASK}</span>
        <span className="visually-hidden">{t('apps.variables.hidden')}</span>
      </span>
    );
  }
  if (value === '') return <span className="muted">{t('apps.variables.empty')}</span>;
  const long = value.length > FOLD_CHARS || value.split('\n').length > FOLD_LINES;
  const folded = long && !expanded;
  return (
    <div className="var-value-wrap">
      <pre
        id={id}
        className={folded ? 'var-value var-value-folded' : 'var-value'}
        data-testid="variable-value"
        data-masked="false"
      >
        {value}
      </pre>
      {long && (
        <button
          type="button"
          className="button button-ghost button-small"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? t('apps.variables.showLess') : t('apps.variables.showAll', { count: value.length })}
        </button>
      )}
    </div>
  );
}
