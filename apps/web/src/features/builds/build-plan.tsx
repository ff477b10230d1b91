'use client';

import type { Build } from '@wharf/contracts';
import { useState } from 'react';
import { Badge } from '@/components/badge';
import { useTenant } from '@/features/tenant/tenant-provider';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { isFinalBuild } from './build-format';
import { OverrideDialog } from './override-dialog';
import type { AppSource } from './source-body';

export interface BuildPlanProps {
  build: Build;
  /** The app's source (to save an override into); undefined while loading or for uploaded archives. */
  source: AppSource | undefined;
  onSourceSaved: (source: AppSource) => void;
}

/**
 * The Dockerfile the build used: the repository's, or the one Wharf wrote for the detected program (said so, with
 * the reason); either can be edited and saved as the app's override.
 */
export function BuildPlan({ build, source, onSourceSaved }: BuildPlanProps) {
  const { t } = useI18n();
  const { denial } = useTenant();
  const [editing, setEditing] = useState<string>();
  const [saved, setSaved] = useState(false);
  const plan = build.plan;
  const blocked = denial('apps.write');

  if (!plan) {
    return (
      <div className="stack" data-testid="build-plan">
        <h3 className="log-title">{t('builds.dockerfile')}</h3>
        <p className="muted">{isFinalBuild(build.status) ? t('builds.noPlanEnded') : t('builds.noPlan')}</p>
      </div>
    );
  }
  return (
    <div className="stack" data-testid="build-plan" data-generated={String(plan.generated)}>
      <div className="card-header-row">
        <div className="plan-note">
          <h3 className="log-title">{t('builds.dockerfile')}</h3>
          {plan.generated && (
            <span data-testid="plan-generated">
              <Badge tone="info">{t('builds.generated')}</Badge>
            </span>
          )}
        </div>
        {source && (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={!!blocked}
            title={blocked ?? undefined}
            onClick={() => {
              setSaved(false);
              setEditing(plan.dockerfile);
            }}
          >
            {t('builds.override')}
          </button>
        )}
      </div>
      <p className="muted">
        {plan.generated
          ? t('builds.generatedReason', { type: plan.programType, reason: plan.reason })
          : t('builds.fromRepository', { reason: plan.reason })}
      </p>
      {saved && (
        <p className="alert alert-success" role="status">
          {t('builds.override.saved')}
        </p>
      )}
      <pre className="dockerfile" data-testid="plan-dockerfile">
        {plan.dockerfile}
      </pre>
      <OverrideDialog
        dockerfile={editing}
        source={source}
        onClose={() => setEditing(undefined)}
        onSaved={(next) => {
          setEditing(undefined);
          setSaved(true);
          onSourceSaved(next);
        }}
      />
    </div>
  );
}
