'use client';

import { type App, type Deployment, type DeploymentStatusName, FINAL_STATUSES } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';

type AppStatus = App['status'];

/** How often app statuses, replica counts and deployments refresh. */
export const POLL_MS = 5_000;

const APP_TONE: Record<AppStatus, BadgeTone> = {
  created: 'neutral',
  deploying: 'info',
  running: 'success',
  stopped: 'neutral',
  failed: 'danger',
  deleting: 'warning',
};

const DEPLOYMENT_TONE: Record<DeploymentStatusName, BadgeTone> = {
  queued: 'neutral',
  preparing: 'info',
  testing: 'info',
  rolling_out: 'info',
  live: 'success',
  failed: 'danger',
  rolled_back: 'warning',
  cancelled: 'neutral',
};

export function AppStatusBadge({ status }: { status: AppStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="app-status" data-status={status}>
      <Badge tone={APP_TONE[status]}>{t(`appStatus.${status}`)}</Badge>
    </span>
  );
}

export function DeploymentStatusBadge({ status }: { status: DeploymentStatusName }) {
  const { t } = useI18n();
  return (
    <span data-testid="deployment-status" data-status={status}>
      <Badge tone={DEPLOYMENT_TONE[status]}>{t(`deploymentStatus.${status}`)}</Badge>
    </span>
  );
}

export function isFinal(status: DeploymentStatusName): boolean {
  return FINAL_STATUSES.includes(status);
}

export function isActive(deployment: Deployment): boolean {
  return !isFinal(deployment.status);
}

/**
 * `running/replicas`: replicas running now over those the app is set to (kept while stopped, for the restart); a
 * compose app's over those its production services want, summed.
 */
export function replicaFigures(app: App): string {
  return `${app.actual.running}/${app.kind === 'compose' ? app.actual.desired : app.replicas}`;
}
