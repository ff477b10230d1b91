import type { Build } from '@wharf/contracts';
import { BuildPlanView } from '@wharf/contracts';
import type { BuildRow } from '@wharf/db';

export function toBuild(row: BuildRow): Build {
  const plan = BuildPlanView.safeParse(row.plan);
  const end = row.finishedAt ?? (row.startedAt ? new Date() : null);
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    kind: row.kind,
    trigger: row.trigger,
    region: row.region,
    repository: row.repository,
    branch: row.branch,
    commit: row.commit,
    commitSubject: row.commitSubject,
    environments: row.environments,
    plan: plan.success ? plan.data : null,
    image: row.image,
    digest: row.digest,
    images: row.images,
    reason: row.reason,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    seconds: row.startedAt && end ? Math.max(0, Math.round((end.getTime() - row.startedAt.getTime()) / 1000)) : 0,
  };
}
