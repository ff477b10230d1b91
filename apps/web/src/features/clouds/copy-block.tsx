'use client';

import { useId, useState } from 'react';
import { useScrollRegion } from '@/lib/hooks/use-scroll-region';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface CopyBlockProps {
  label: string;
  text: string;
  testId?: string;
}

/** A multi-line text to paste elsewhere (a policy document), with a Copy button; selects the text without a clipboard. */
export function CopyBlock({ label, text, testId }: CopyBlockProps) {
  const { t } = useI18n();
  const id = useId();
  // a long policy scrolls inside its box: reachable by keyboard while it does
  const { ref: block, ...region } = useScrollRegion<HTMLPreElement>(label);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      // No clipboard access (insecure context or denied): select the text so the user can copy it.
      if (block.current) window.getSelection()?.selectAllChildren(block.current);
      setStatus('failed');
    }
  }

  return (
    <figure className="field copy-block" aria-labelledby={id}>
      <figcaption className="copy-block-header">
        <span id={id} className="field-label">
          {label}
        </span>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={copy}
          aria-label={t('clouds.copyBlock', { label })}
        >
          {t('common.copy')}
        </button>
      </figcaption>
      <pre ref={block} className="code-block" data-testid={testId} {...region}>
        {text}
      </pre>
      <p className="field-hint" aria-live="polite" data-testid={testId ? `${testId}-status` : undefined}>
        {status === 'copied' ? t('common.copied') : status === 'failed' ? t('common.copyFailed') : ''}
      </p>
    </figure>
  );
}
