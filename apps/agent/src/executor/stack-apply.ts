import type { ApplyResult, DesiredStack, ServiceState } from '@wharf/contracts';
import { type DiffOptions, diffServiceSpec, LABEL_CLUSTER, MAX_SERVICES, withObjectIds } from '@wharf/engine';
import type { EngineService } from '../docker/engine-types.js';
import type { RenderedServiceSpec } from '../docker/repository.js';
import { CommandError, EngineError } from '../errors.js';
import type { ExecutorContext } from './context.js';
import { checkImageAccess } from './image-access.js';
import { registryLoginFor, renderStack } from './render.js';
import { isCurrentTask, scopeFilters, statesOf } from './service-state.js';
import { cleanUp, ensureFileObjects, ensureNetworks } from './stack-objects.js';
import { orderedServices, RolloutWaiter, restoreStack, type ServicePlan } from './stack-order.js';

/*
 * stack.apply: make the engine run one desired stack, service after service in dependency order, then wait for
 * Swarm's verdict; when one service fails, the whole stack goes back to its previous revision. Idempotent: every
 * object is found by name before it is created, an unchanged service is not updated, and a revision Swarm already
 * rolled back is reported as rolled back instead of being tried again.
 */

export interface ApplyOptions {
  /** Wait for the rollout (stack.apply) or only make the changes (cluster.converge). */
  wait: boolean;
  /** Epoch ms. */
  deadline: number;
  /** On failure, put the stack back on its previous revision (default); the integration stage keeps it to read it. */
  restore?: boolean;
}

export interface ApplyReport {
  result: ApplyResult;
  /** `kind:engine name` of what had to be created or updated. */
  created: string[];
  updated: string[];
}

const OUT_OF_SEQUENCE = /out of sequence/i;

/** Whether Swarm already rolled back this very revision (a command delivered again after its rollout). */
async function alreadyRolledBack(
  ctx: ExecutorContext,
  service: EngineService,
  desired: RenderedServiceSpec,
  diff: DiffOptions,
): Promise<boolean> {
  const state = service.UpdateStatus?.State;
  if (!state?.startsWith('rollback')) return false;
  if (service.PreviousSpec && !diffServiceSpec(service.PreviousSpec, desired, diff).needsUpdate) return true;
  // Swarm drops PreviousSpec when it rolls back; the tasks it started from the failed spec are still in the history.
  const tasks = await ctx.docker.tasks({ service: [service.ID] });
  return tasks.some(
    (t) => !isCurrentTask(t, service.Spec) && !diffServiceSpec({ ...desired, TaskTemplate: t.Spec }, desired, diff).needsUpdate,
  );
}

async function reconcileService(
  ctx: ExecutorContext,
  desired: DesiredStack,
  name: string,
  spec: RenderedServiceSpec,
  diff: DiffOptions,
): Promise<ServicePlan> {
  const image = spec.TaskTemplate.ContainerSpec.Image;
  const auth = registryLoginFor(image, desired.registryAuth);
  for (let attempt = 0; ; attempt++) {
    const existing = await ctx.docker.serviceByName(spec.Name);
    if (!existing) {
      ctx.progress(`creating service ${name} (image ${image})`);
      const id = await ctx.docker.createService(spec, auth);
      return { name, id, mode: 'created', spec };
    }
    const owner = existing.Spec.Labels[LABEL_CLUSTER];
    if (owner !== ctx.clusterId)
      throw new CommandError(`service ${spec.Name} exists but belongs to cluster ${owner ?? '(none)'}`);
    const { needsUpdate, changed } = diffServiceSpec(existing.Spec, spec, diff);
    if (!needsUpdate) return { name, id: existing.ID, mode: 'unchanged', spec };
    if (await alreadyRolledBack(ctx, existing, spec, diff)) {
      ctx.progress(`service ${name}: this revision was already rolled back by Swarm; not updating again`);
      return { name, id: existing.ID, mode: 'rolled_back', spec };
    }
    ctx.progress(`updating service ${name} (image ${image}; changed: ${changed.slice(0, 8).join(', ')})`);
    try {
      await ctx.docker.updateService(existing.ID, existing.Version.Index, spec, auth ? { auth } : {});
      return { name, id: existing.ID, mode: 'updated', spec };
    } catch (err) {
      // another writer bumped the version between our read and our write: read again
      if (attempt < 3 && err instanceof EngineError && OUT_OF_SEQUENCE.test(err.message)) continue;
      throw err;
    }
  }
}

/** The reported states of the stack's services. */
export async function stackStates(ctx: ExecutorContext, desired: DesiredStack): Promise<ServiceState[]> {
  return (await statesOf(ctx, await ctx.docker.services(scopeFilters(desired.scope, ctx.clusterId)))).slice(0, MAX_SERVICES);
}

/**
 * stack.apply as a command: a stack that cannot be rendered, or that the engine refuses as invalid (400), is a
 * failed deployment (outcome `failed`), not a failed command; other errors (engine unreachable…) fail the command.
 */
export async function runApply(ctx: ExecutorContext, desired: DesiredStack, timeoutMs: number): Promise<ApplyResult> {
  try {
    await checkImageAccess(ctx, desired);
    return (await applyStack(ctx, desired, { wait: true, deadline: Date.now() + timeoutMs })).result;
  } catch (err) {
    if (!(err instanceof CommandError) && !(err instanceof EngineError && err.statusCode === 400)) throw err;
    ctx.progress(`stack failed: ${err.message}`);
    return { outcome: 'failed', reason: err.message.slice(0, 4000), services: await stackStates(ctx, desired) };
  }
}

export async function applyStack(ctx: ExecutorContext, desired: DesiredStack, options: ApplyOptions): Promise<ApplyReport> {
  const rendered = renderStack(desired, ctx.clusterId);
  const created: string[] = [];
  const updated: string[] = [];
  const networkIds = await ensureNetworks(ctx, rendered, created);
  const ids = {
    secrets: await ensureFileObjects(ctx, 'secret', rendered.secrets, created),
    configs: await ensureFileObjects(ctx, 'config', rendered.configs, created),
  };
  const diff: DiffOptions = { networkIds, apiVersion: await ctx.docker.apiVersion() };
  const specs = new Map(rendered.services.map(({ name, spec }) => [name, withObjectIds(spec, ids)]));
  const waiter = new RolloutWaiter(ctx, diff, options.deadline);

  // in dependency order: a service is created or updated once what it depends on is started, healthy or complete
  for (const service of orderedServices(desired.stack)) {
    const spec = specs.get(service.name);
    if (!spec) continue;
    if (options.wait) {
      const blocked = await waiter.dependenciesOf(service);
      if (blocked) {
        ctx.progress(`${service.name}: not deployed: ${blocked}`);
        waiter.skip(service.name, blocked);
        continue;
      }
    }
    const plan = await reconcileService(ctx, desired, service.name, spec, diff);
    if (plan.mode === 'created') created.push(`service:${spec.Name}`);
    if (plan.mode === 'updated') updated.push(`service:${spec.Name}`);
    if (plan.mode === 'unchanged') ctx.progress(`service ${service.name} unchanged`);
    if (options.wait) waiter.watch(plan);
  }

  if (!options.wait) {
    return { result: { outcome: 'live', services: await stackStates(ctx, desired) }, created, updated };
  }
  let { outcome, reason } = await waiter.outcome();
  if (outcome === 'live') {
    await cleanUp(ctx, desired, new Set([...specs.values()].map((s) => s.Name)));
  } else if (options.restore !== false) {
    // one service failed: the whole stack goes back to the revision it ran before
    const restored = await restoreStack(ctx, waiter.plans(), options.deadline);
    if (restored.length > 0) {
      outcome = 'rolled_back';
      reason = `${reason ?? ''}\nthe whole stack was rolled back (${restored.join(', ')})`.trim();
    }
  }
  ctx.progress(outcome === 'live' ? 'stack is live' : `stack ${outcome.replace('_', ' ')}: ${reason ?? ''}`);
  return {
    result: { outcome, ...(reason ? { reason: reason.slice(0, 4000) } : {}), services: await stackStates(ctx, desired) },
    created,
    updated,
  };
}
