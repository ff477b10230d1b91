import type { ApplyResult, DesiredStack, ServiceState } from '@wharf/contracts';
import { type DiffOptions, diffServiceSpec, LABEL_CLUSTER, withObjectIds } from '@wharf/engine';
import type { EngineService } from '../docker/engine-types.js';
import { engineStatus, type RenderedServiceSpec } from '../docker/repository.js';
import { CommandError, EngineError, errorMessage } from '../errors.js';
import type { ExecutorContext } from './context.js';
import { checkImageAccess } from './image-access.js';
import { type RenderedStack, registryLoginFor, renderStack } from './render.js';
import { type Outcome, type WaitResult, waitForRollout } from './rollout.js';
import { isCurrentTask, scopeFilters, statesOf } from './service-state.js';

/*
 * stack.apply: make the engine run one desired stack, then wait for Swarm's verdict. Idempotent: every object is
 * found by name before it is created, an unchanged service is not updated, and a revision Swarm already rolled
 * back is reported as rolled back instead of being tried again.
 */

export interface ApplyOptions {
  /** Wait for the rollout (stack.apply) or only make the changes (cluster.converge). */
  wait: boolean;
  /** Epoch ms. */
  deadline: number;
}

export interface ApplyReport {
  result: ApplyResult;
  /** `kind:engine name` of what had to be created or updated. */
  created: string[];
  updated: string[];
}

type ServicePlan = {
  name: string;
  id: string;
  mode: 'created' | 'updated' | 'unchanged' | 'rolled_back';
  spec: RenderedServiceSpec;
};

const OUT_OF_SEQUENCE = /out of sequence/i;

async function ensureNetworks(ctx: ExecutorContext, rendered: RenderedStack, created: string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const spec of rendered.networks) {
    const existing = await ctx.docker.networkByName(spec.Name);
    if (existing) {
      ids[spec.Name] = existing.Id;
      continue;
    }
    ctx.progress(`creating network ${spec.Name}`);
    ids[spec.Name] = await ctx.docker.createNetwork(spec);
    created.push(`network:${spec.Name}`);
  }
  return ids;
}

async function ensureSecrets(ctx: ExecutorContext, rendered: RenderedStack, created: string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const spec of rendered.secrets) {
    const existing = await ctx.docker.secretByName(spec.Name);
    if (existing) {
      ids[spec.Name] = existing.ID;
      continue;
    }
    ctx.progress(`creating secret ${spec.Name}`);
    ids[spec.Name] = await ctx.docker.createSecret(spec);
    created.push(`secret:${spec.Name}`);
  }
  return ids;
}

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

/** Services of the stack's scope (this cluster) no longer in the stack, and secrets no service refers to. */
async function cleanUp(ctx: ExecutorContext, desired: DesiredStack, keep: Set<string>): Promise<void> {
  const filters = scopeFilters(desired.scope, ctx.clusterId);
  let services = await ctx.docker.services(filters);
  for (const s of services.filter((x) => !keep.has(x.Spec.Name))) {
    ctx.progress(`removing service ${s.Spec.Name} (no longer in the stack)`);
    await ctx.docker.removeService(s.ID);
  }
  services = services.filter((x) => keep.has(x.Spec.Name));
  const referenced = new Set<string>();
  for (const s of services) {
    for (const spec of [s.Spec, s.PreviousSpec]) {
      for (const ref of spec?.TaskTemplate?.ContainerSpec?.Secrets ?? []) {
        if (ref.SecretID) referenced.add(ref.SecretID);
        if (ref.SecretName) referenced.add(ref.SecretName);
      }
    }
  }
  for (const secret of await ctx.docker.secrets(filters)) {
    if (referenced.has(secret.ID) || referenced.has(secret.Spec.Name)) continue;
    try {
      await ctx.docker.removeSecret(secret.ID);
      ctx.progress(`removed secret ${secret.Spec.Name} (no longer used)`);
    } catch (err) {
      // still in use by a task being shut down: the next apply removes it
      ctx.log.warn({ secret: secret.Spec.Name, status: engineStatus(err), err: errorMessage(err) }, 'could not remove secret');
    }
  }
}

/** The reported states of the stack's services. */
export async function stackStates(ctx: ExecutorContext, desired: DesiredStack): Promise<ServiceState[]> {
  return (await statesOf(ctx, await ctx.docker.services(scopeFilters(desired.scope, ctx.clusterId)))).slice(0, 100);
}

function overall(results: { name: string; wait: WaitResult }[]): { outcome: Outcome; reason?: string } {
  const worst = (['failed', 'rolled_back'] as const).find((o) => results.some((r) => r.wait.outcome === o));
  if (!worst) return { outcome: 'live' };
  const reason = results
    .filter((r) => r.wait.outcome !== 'live')
    .map((r) => `${r.name}: ${r.wait.reason ?? r.wait.outcome}`)
    .join('\n')
    .slice(0, 4000);
  return { outcome: worst, reason };
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
  const secretIds = await ensureSecrets(ctx, rendered, created);
  const diff: DiffOptions = { networkIds, apiVersion: await ctx.docker.apiVersion() };

  const plans: ServicePlan[] = [];
  for (const { name, spec } of rendered.services) {
    const full = withObjectIds(spec, { secrets: secretIds });
    const plan = await reconcileService(ctx, desired, name, full, diff);
    if (plan.mode === 'created') created.push(`service:${full.Name}`);
    if (plan.mode === 'updated') updated.push(`service:${full.Name}`);
    if (plan.mode === 'unchanged') ctx.progress(`service ${name} unchanged`);
    plans.push(plan);
  }

  if (!options.wait) {
    return { result: { outcome: 'live', services: await stackStates(ctx, desired) }, created, updated };
  }
  const results = await Promise.all(
    plans.map(async (p) => ({
      name: p.name,
      wait: await waitForRollout(ctx, {
        serviceId: p.id,
        label: p.name,
        mode: p.mode === 'rolled_back' ? 'rollback' : 'apply',
        desired: p.spec,
        diff,
        deadline: options.deadline,
      }),
    })),
  );
  const { outcome, reason } = overall(results);
  if (outcome === 'live') await cleanUp(ctx, desired, new Set(rendered.services.map((s) => s.spec.Name)));
  ctx.progress(outcome === 'live' ? 'stack is live' : `stack ${outcome.replace('_', ' ')}: ${reason ?? ''}`);
  return {
    result: { outcome, ...(reason ? { reason } : {}), services: await stackStates(ctx, desired) },
    created,
    updated,
  };
}
