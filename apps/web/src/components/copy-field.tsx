'use client';

import { useId, useRef, useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface CopyFieldProps {
  label: string;
  value: string;
  testId?: string;
}

/** A read-only value with a Copy button; falls back to selecting the text when the clipboard is unavailable. */
export function CopyField({ label, value, testId }: CopyFieldProps) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      // No clipboard access (insecure context or denied): select the text so the user can copy it.
      input.current?.select();
      setStatus('failed');
    }
  }

  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <div className="copy-field">
        <input
          ref={input}
          id={id}
          className="input input-mono"
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button button-secondary" onClick={copy}>
          {t('common.copy')}
        </button>
      </div>
      <p className="field-hint" aria-live="polite" data-testid={testId ? `${testId}-status` : undefined}>
        {status === 'copied' ? t('common.copied') : status === 'failed' ? t('common.copyFailed') : ''}
      </p>
    </div>
  );
}
