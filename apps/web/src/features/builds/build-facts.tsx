'use client';

import type { Build } from '@wharf/contracts';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { buildRef } from './build-format';

/** What a build is of (branch, commit, message), how it was started, where it deploys, and what it made. */
export function BuildFacts({ build }: { build: Build }) {
  const { t, formatDateTime, formatDuration, formatList } = useI18n();
  const none = t('builds.none');
  return (
    <dl className="details" data-testid="build-facts">
      <div>
        <dt>{t('builds.col.ref')}</dt>
        <dd>
          <code data-testid="build-ref" title={build.commit ?? undefined}>
            {buildRef(build)}
          </code>
        </dd>
      </div>
      <div className="details-wide">
        <dt>{t('builds.subject')}</dt>
        <dd data-testid="build-subject">{build.commitSubject ?? none}</dd>
      </div>
      <div>
        <dt>{t('builds.col.trigger')}</dt>
        <dd>{t(`buildTrigger.${build.trigger}`)}</dd>
      </div>
      <div>
        <dt>{t('builds.environments')}</dt>
        <dd>{build.environments.length > 0 ? formatList(build.environments) : none}</dd>
      </div>
      <div>
        <dt>{t('builds.col.created')}</dt>
        <dd>{formatDateTime(build.startedAt ?? build.createdAt)}</dd>
      </div>
      <div>
        <dt>{t('builds.col.duration')}</dt>
        <dd data-testid="build-duration">{build.startedAt ? formatDuration(build.seconds) : none}</dd>
      </div>
      {build.image && (
        <div className="details-wide">
          <dt>{t('builds.image')}</dt>
          <dd>
            <code className="break-anywhere" data-testid="build-image">
              {build.digest ? `${build.image}@${build.digest}` : build.image}
            </code>
          </dd>
        </div>
      )}
      {build.reason && (
        <div className="details-wide">
          <dt>{t('builds.reason')}</dt>
          <dd data-testid="build-reason" lang="en">
            {build.reason}
          </dd>
        </div>
      )}
    </dl>
  );
}
