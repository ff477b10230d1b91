'use client';

import { useEffect } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The last-resort boundary: a rendering bug, not an API error (those are shown where they happen). */
export function CrashView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="auth-page">
      <div className="auth-card" role="alert">
        <h1>{t('crash.title')}</h1>
        <p className="muted">{t('crash.body')}</p>
        {error.digest && (
          <p className="muted">
            {t('crash.reference')} <code>{error.digest}</code>
          </p>
        )}
        <button type="button" className="button button-primary" onClick={reset}>
          {t('common.retry')}
        </button>
      </div>
    </div>
  );
}
