'use client';

import { CopyField } from '@/components/copy-field';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AppSource } from './source-body';
import { SourceForm } from './source-form';
import { useSource } from './use-source';
import { WebhookCard } from './webhook-card';

/** Where the app is built from: repository and access (the deploy key to add), webhook, tracked branches, settings. */
export function SourceView() {
  const { t, formatList } = useI18n();
  const source = useSource();
  if (source.uploadOnly) return <EmptyState title={t('source.uploadOnly')} />;
  if (source.error && !source.data) return <ErrorState error={source.error} onRetry={source.reload} />;
  if (!source.data) return <Loading />;
  const current = source.data;
  // a secret arrives once (creation, rotation): keep showing it until the page is left
  const update = (next: AppSource) =>
    source.mutate((previous) => ({
      ...next,
      webhook: { ...next.webhook, secret: next.webhook.secret ?? previous.webhook.secret },
    }));
  return (
    <>
      <section className="card" aria-labelledby="source-title" data-testid="source-view">
        <div className="card-header">
          <h2 id="source-title">{t('source.repositoryTitle')}</h2>
        </div>
        <dl className="details">
          <div className="details-wide">
            <dt>{t('git.repository')}</dt>
            <dd>
              <code className="break-anywhere" data-testid="source-repository">
                {current.repository}
              </code>
            </dd>
          </div>
          <div>
            <dt>{t('git.access')}</dt>
            <dd data-testid="source-access">{t(`access.${current.auth}`)}</dd>
          </div>
          <div>
            <dt>{t('buildSettings.region')}</dt>
            <dd>{t(`region.${current.region}`)}</dd>
          </div>
          <div className="details-wide">
            <dt>{t('source.tracking')}</dt>
            <dd data-testid="source-tracking">
              {formatList(Object.entries(current.tracking).map(([environment, branch]) => `${environment} ← ${branch}`)) ||
                t('builds.none')}
            </dd>
          </div>
        </dl>
        {current.deployKey && (
          <>
            <CopyField label={t('source.deployKey')} value={current.deployKey} testId="deploy-key" />
            <p className="field-hint">{t('source.deployKeyHint')}</p>
          </>
        )}
      </section>
      <WebhookCard source={current} onChanged={update} />
      <SourceForm source={current} onSaved={update} />
    </>
  );
}
