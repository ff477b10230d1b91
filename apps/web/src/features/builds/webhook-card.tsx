'use client';

import { sourceRoutes } from '@wharf/contracts';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-field';
import { useApp } from '@/features/apps/app-provider';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AppSource } from './source-body';

export interface WebhookCardProps {
  source: AppSource;
  /** The answer of a rotation (or of the save that created the source): carries the secret, once. */
  onChanged: (source: AppSource) => void;
}

/** The app's push webhook: its URL, and a new secret on demand, shown once. */
export function WebhookCard({ source, onChanged }: WebhookCardProps) {
  const { t } = useI18n();
  const { denial } = useTenant();
  const { params } = useApp();
  const blocked = denial('apps.write');
  const rotate = useConfirmAction(
    () => api(sourceRoutes.rotateHook, { params }),
    (_target, next) => onChanged(next),
  );
  const secret = source.webhook.secret;
  return (
    <section className="card" aria-labelledby="webhook-title" data-testid="webhook-card">
      <div className="card-header card-header-row">
        <div>
          <h2 id="webhook-title">{t('source.webhookTitle')}</h2>
          <p className="muted">{t('source.webhookHint')}</p>
        </div>
        <button
          type="button"
          className="button button-secondary"
          disabled={!!blocked}
          title={blocked ?? undefined}
          onClick={() => rotate.ask(true)}
        >
          {t('source.rotate')}
        </button>
      </div>
      <CopyField label={t('source.webhookUrl')} value={source.webhook.url} testId="webhook-url" />
      {secret && (
        <div className="secret-once">
          <CopyField label={t('source.webhookSecret')} value={secret} testId="webhook-secret" />
        </div>
      )}
      <ConfirmDialog
        {...rotate.dialog}
        title={t('source.rotate.title')}
        message={t('source.rotate.message')}
        confirmLabel={t('source.rotate.confirm')}
      />
    </section>
  );
}
