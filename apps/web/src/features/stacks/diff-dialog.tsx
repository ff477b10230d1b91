'use client';

import { type Deployment, deploymentRoutes, environmentRoutes, type StackDiff } from '@wharf/contracts';
import { useState } from 'react';
import { Badge, type BadgeTone } from '@/components/badge';
import { Dialog } from '@/components/dialog';
import { ProblemAlert } from '@/components/problem-alert';
import { ErrorState, Loading } from '@/components/states';
import { useApp } from '@/features/apps/app-provider';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type ChangeType, diffCounts, diffSections } from './stack-diff';

const CHANGE_TONE: Record<ChangeType, BadgeTone> = { added: 'success', changed: 'info', removed: 'danger' };

export interface DiffDialogProps {
  /** The environment to review; closed when undefined. */
  environment: string | undefined;
  onClose: () => void;
  onDeployed: (deployment: Deployment) => void;
}

/** What deploying the app to an environment now would add, change and remove; "Deploy" starts it. */
export function DiffDialog({ environment, onClose, onDeployed }: DiffDialogProps) {
  const { t } = useI18n();
  const { denial } = useTenant();
  const blocked = denial('apps.write');
  const { app, params } = useApp();
  const [test, setTest] = useState(false);
  const deploy = useAction((name: string) => api(deploymentRoutes.create, { params, body: { environment: name, test } }));

  async function onDeploy() {
    if (!environment) return;
    const result = await deploy.run(environment);
    if (result.ok) onDeployed(result.value);
  }

  function close() {
    deploy.reset();
    onClose();
  }

  return (
    <Dialog
      open={!!environment}
      title={t('environments.diff.title', { environment: environment ?? '' })}
      onClose={close}
      testId="diff-dialog"
    >
      {environment && <DiffBody environment={environment} />}
      {app.kind === 'compose' && (
        <label className="checkbox">
          <input type="checkbox" checked={test} onChange={(e) => setTest(e.currentTarget.checked)} />
          {t('environments.diff.test')}
        </label>
      )}
      <ProblemAlert error={deploy.error} />
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={close} disabled={deploy.pending}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!!blocked || deploy.pending}
          aria-busy={deploy.pending}
          title={blocked ?? undefined}
          onClick={() => void onDeploy()}
        >
          {deploy.pending ? t('common.working') : t('environments.diff.deploy')}
        </button>
      </div>
    </Dialog>
  );
}

function DiffBody({ environment }: { environment: string }) {
  const { params } = useApp();
  const diff = useResource(
    (signal) => api(environmentRoutes.diff, { params: { ...params, environment } }, { signal }),
    [params, environment],
  );
  if (diff.error) return <ErrorState error={diff.error} onRetry={diff.reload} />;
  if (!diff.data) return <Loading />;
  return <DiffSummary diff={diff.data} />;
}

export function DiffSummary({ diff }: { diff: StackDiff }) {
  const { t, formatList } = useI18n();
  const sections = diffSections(diff);
  const counts = diffCounts(sections);
  return (
    <div className="diff" data-testid="stack-diff">
      <p className="muted">
        {diff.from ? t('environments.diff.from', { revision: diff.from.revision }) : t('environments.diff.first')}{' '}
        {t('environments.diff.counts', counts)}
      </p>
      {sections.length === 0 && <p>{t('environments.diff.none')}</p>}
      {sections.map((section) => (
        <section key={section.kind} className="diff-section" aria-labelledby={`diff-${section.kind}`}>
          <h3 id={`diff-${section.kind}`}>{t(`environments.diff.kind.${section.kind}`)}</h3>
          <ul className="diff-list">
            {section.entries.map((entry) => (
              <li
                key={`${entry.change}:${entry.name}`}
                data-testid="diff-entry"
                data-kind={section.kind}
                data-change={entry.change}
                data-name={entry.name}
              >
                <Badge tone={CHANGE_TONE[entry.change]}>{t(`environments.diff.${entry.change}`)}</Badge>
                <code className="break-anywhere">{entry.name}</code>
                {entry.details.length > 0 && <code className="cell-secondary">{formatList(entry.details)}</code>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
