import type { ConvergeResult, DesiredStack, StackScope } from '@wharf/contracts';
import { CommandError, errorMessage, isAbort } from '../errors.js';
import type { ExecutorContext } from './context.js';
import { clusterFilters, scopeKey, scopeOf, statesOf } from './service-state.js';
import { applyStack } from './stack-apply.js';
import { removeStack } from './stack-remove.js';

/*
 * cluster.converge: the reconcile pass. Applies every listed stack without waiting for rollouts (recreating removed
 * services and lost networks, restoring replica counts changed by hand), then, with `prune`, removes the Wharf
 * objects of this cluster — and only this cluster: `wharf.cluster` must carry our id — whose stack scope is not
 * listed. Scopes in `keep` (a deployment in progress) are neither converged nor pruned.
 */

export interface ConvergeCommand {
  stacks: DesiredStack[];
  prune: boolean;
  /** Scopes neither converged nor pruned: the worker is deploying them. */
  keep: StackScope[];
}

/** The stack scopes that have objects on this cluster but are not in `keep`. */
async function orphanScopes(ctx: ExecutorContext, keep: Set<string>): Promise<StackScope[]> {
  const filters = clusterFilters(ctx.clusterId);
  const [services, networks, secrets, configs] = await Promise.all([
    ctx.docker.services(filters),
    ctx.docker.networks(filters),
    ctx.docker.fileObjects('secret', filters),
    ctx.docker.fileObjects('config', filters),
  ]);
  const labels = [
    ...services.map((s) => s.Spec.Labels),
    ...networks.map((n) => n.Labels),
    ...secrets.map((s) => s.Spec.Labels),
    ...configs.map((c) => c.Spec.Labels),
  ];
  const orphans = new Map<string, StackScope>();
  for (const l of labels) {
    const scope = scopeOf(l);
    if (scope && !keep.has(scopeKey(scope))) orphans.set(scopeKey(scope), scope);
  }
  return [...orphans.values()];
}

export async function convergeCluster(ctx: ExecutorContext, command: ConvergeCommand): Promise<ConvergeResult> {
  const created: string[] = [];
  const updated: string[] = [];
  const removed: string[] = [];
  const failures: string[] = [];
  const untouchable = new Set(command.keep.map(scopeKey));
  for (const desired of command.stacks) {
    if (untouchable.has(scopeKey(desired.scope))) continue;
    try {
      const report = await applyStack(ctx, desired, { wait: false, deadline: Date.now() });
      created.push(...report.created);
      updated.push(...report.updated);
    } catch (err) {
      if (isAbort(err, ctx.signal)) throw err;
      failures.push(`${scopeKey(desired.scope)}: ${errorMessage(err)}`);
      ctx.progress(`could not converge ${scopeKey(desired.scope)}: ${errorMessage(err)}`);
    }
  }
  if (command.prune) {
    // listed stacks, and stacks the worker is deploying right now (`keep`), are not orphans
    const keep = new Set([...command.stacks.map((s) => scopeKey(s.scope)), ...untouchable]);
    for (const scope of await orphanScopes(ctx, keep)) {
      ctx.progress(`pruning ${scopeKey(scope)} (not a listed stack)`);
      removed.push(...(await removeStack(ctx, scope, { volumes: false })));
    }
  }
  if (failures.length > 0) {
    throw new CommandError(`converge failed for ${failures.length} stack(s):\n${failures.join('\n')}`.slice(0, 4000));
  }
  const services = await statesOf(ctx, await ctx.docker.services(clusterFilters(ctx.clusterId)));
  if (created.length + updated.length + removed.length > 0) {
    ctx.progress(`converged: ${created.length} created, ${updated.length} updated, ${removed.length} removed`);
  }
  return { created, updated, removed, services };
}
