import type { ApplyResult, StackScope } from '@wharf/contracts';
import { LABEL_SERVICE, MAX_SERVICES } from '@wharf/engine';
import type { ExecutorContext } from './context.js';
import { type WaitResult, waitForRollout } from './rollout.js';
import { scopeFilters, statesOf } from './service-state.js';

/*
 * stack.rollback: every service of the scope goes back to its previous spec (`POST /services/{id}/update?
 * rollback=previous`, which Swarm carries out like an update with the service's rollback config).
 */

const WAIT_MS = 5 * 60_000;

export async function rollbackStack(ctx: ExecutorContext, scope: StackScope, waitMs = WAIT_MS): Promise<ApplyResult> {
  const filters = scopeFilters(scope, ctx.clusterId);
  const deadline = Date.now() + waitMs;
  const started: { label: string; id: string }[] = [];
  for (const service of await ctx.docker.services(filters)) {
    const label = service.Spec.Labels[LABEL_SERVICE] ?? service.Spec.Name;
    if (!service.PreviousSpec) {
      ctx.progress(`${label}: no previous spec to roll back to`);
      continue;
    }
    ctx.progress(`rolling back ${label}`);
    await ctx.docker.updateService(service.ID, service.Version.Index, service.Spec, { rollback: true });
    started.push({ label, id: service.ID });
  }
  const results = await Promise.all(
    started.map(async (s) => ({
      label: s.label,
      wait: await waitForRollout(ctx, { serviceId: s.id, label: s.label, mode: 'rollback', deadline }),
    })),
  );
  const failed = results.filter((r): r is { label: string; wait: WaitResult } => r.wait.outcome === 'failed');
  const services = (await statesOf(ctx, await ctx.docker.services(filters))).slice(0, MAX_SERVICES);
  if (failed.length > 0) {
    const reason = failed.map((r) => `${r.label}: ${r.wait.reason ?? 'failed'}`).join('\n');
    return { outcome: 'failed', reason: reason.slice(0, 4000), services };
  }
  const reason = started.length === 0 ? 'nothing to roll back' : `rolled back ${started.map((s) => s.label).join(', ')}`;
  return { outcome: 'rolled_back', reason, services };
}
