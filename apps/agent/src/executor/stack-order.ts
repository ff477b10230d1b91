import type { DesiredStack } from '@wharf/contracts';
import { type DiffOptions, dependencyLayers, type ServiceSpec } from '@wharf/engine';
import { sleep } from '../backoff.js';
import type { RenderedServiceSpec } from '../docker/repository.js';
import { DEFAULT_POLL_MS, type ExecutorContext } from './context.js';
import { type Outcome, type WaitResult, waitForRollout } from './rollout.js';
import { isCurrentTask } from './service-state.js';

/*
 * The order of a stack's rollout: services in dependency layers, each waiting for what it depends on (`started`,
 * `healthy`, `completed`); and the whole-stack rollback when a service fails.
 */

export interface ServicePlan {
  name: string;
  id: string;
  mode: 'created' | 'updated' | 'unchanged' | 'rolled_back';
  spec: RenderedServiceSpec;
}

interface Watched {
  plan: ServicePlan;
  result: Promise<WaitResult>;
}

/** The stack's services, each after everything it depends on. */
export function orderedServices(stack: DesiredStack['stack']): ServiceSpec[] {
  const byName = new Map(stack.services.map((s) => [s.name, s]));
  return dependencyLayers(stack.services).flatMap((layer) => layer.flatMap((n) => byName.get(n) ?? []));
}

/** Task states in which a container has started (Swarm says `starting` until a health check first passes). */
const STARTED = new Set(['starting', 'running', 'complete']);

export class RolloutWaiter {
  private readonly watched = new Map<string, Watched>();
  private readonly skipped = new Map<string, string>();

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly diff: DiffOptions,
    private readonly deadline: number,
  ) {}

  /** Starts following a service's rollout. */
  watch(plan: ServicePlan): void {
    const result = waitForRollout(this.ctx, {
      serviceId: plan.id,
      label: plan.name,
      mode: plan.mode === 'rolled_back' ? 'rollback' : 'apply',
      desired: plan.spec,
      diff: this.diff,
      deadline: this.deadline,
    });
    this.watched.set(plan.name, { plan, result });
  }

  /** A service left out because a dependency failed. */
  skip(name: string, reason: string): void {
    this.skipped.set(name, reason);
  }

  /** Waits until the service's dependencies meet their conditions; why not, when a required one cannot. */
  async dependenciesOf(service: ServiceSpec): Promise<string | undefined> {
    for (const dep of service.dependsOn) {
      const watched = this.watched.get(dep.service);
      const blocked = watched
        ? await this.unmet(watched, dep.condition)
        : this.skipped.has(dep.service)
          ? `${dep.service} was not deployed`
          : undefined;
      if (blocked && dep.required) return `it depends on ${dep.service} (${dep.condition}): ${blocked}`;
      if (blocked) this.ctx.progress(`${service.name}: optional dependency ${dep.service}: ${blocked}`);
      else this.ctx.progress(`${service.name}: ${dep.service} is ${dep.condition}`);
    }
    return undefined;
  }

  plans(): Watched[] {
    return [...this.watched.values()];
  }

  /** The stack's outcome once every followed rollout has ended: the worst of them, with every reason. */
  async outcome(): Promise<{ outcome: Outcome; reason?: string }> {
    const results = await Promise.all(this.plans().map(async (w) => ({ name: w.plan.name, wait: await w.result })));
    const failures = [
      ...results.filter((r) => r.wait.outcome !== 'live').map((r) => `${r.name}: ${r.wait.reason ?? r.wait.outcome}`),
      ...[...this.skipped].map(([name, why]) => `${name}: not deployed: ${why}`),
    ];
    if (failures.length === 0) return { outcome: 'live' };
    const worst = results.some((r) => r.wait.outcome === 'failed') || this.skipped.size > 0 ? 'failed' : 'rolled_back';
    return { outcome: worst, reason: failures.join('\n').slice(0, 4000) };
  }

  private async unmet(watched: Watched, condition: ServiceSpec['dependsOn'][number]['condition']): Promise<string | undefined> {
    if (condition === 'started') return this.started(watched);
    const result = await watched.result;
    if (result.outcome === 'live') return undefined;
    return `${condition === 'completed' ? 'did not complete' : 'is not healthy'}: ${result.reason ?? result.outcome}`;
  }

  /** Started: a task of the current spec has a running container (or the rollout already ended well). */
  private async started(watched: Watched): Promise<string | undefined> {
    let ended: WaitResult | undefined;
    void watched.result.then((r) => {
      ended = r;
    });
    for (;;) {
      if (ended) return ended.outcome === 'live' ? undefined : (ended.reason ?? ended.outcome);
      const service = await this.ctx.docker.service(watched.plan.id);
      if (service) {
        const tasks = await this.ctx.docker.tasks({ service: [service.ID] });
        if (tasks.some((t) => isCurrentTask(t, service.Spec) && STARTED.has(t.Status.State))) return undefined;
      }
      if (Date.now() >= this.deadline) return 'timed out waiting for it to start';
      await sleep(this.ctx.pollMs ?? DEFAULT_POLL_MS, this.ctx.signal);
    }
  }
}

/**
 * Puts every service of a failed rollout back on the revision it ran before: services updated by this rollout
 * are rolled back (Swarm's `rollback=previous`), services it created are removed. Services Swarm already rolled
 * back stay as they are. Returns the names of the services restored or removed (none for a first revision).
 */
export async function restoreStack(ctx: ExecutorContext, watched: Watched[], deadline: number): Promise<string[]> {
  // a stack's first revision has nothing to go back to: it fails where it stands, for its logs to be read
  if (watched.every((w) => w.plan.mode === 'created')) return [];
  const restored: string[] = [];
  const rollbacks: Promise<WaitResult>[] = [];
  for (const { plan, result } of watched) {
    const outcome = (await result).outcome;
    if (plan.mode === 'created') {
      ctx.progress(`${plan.name}: removing (new in the failed revision)`);
      await ctx.docker.removeService(plan.id);
      restored.push(plan.name);
    } else if (plan.mode === 'updated' && outcome === 'rolled_back') {
      restored.push(plan.name);
    } else if (plan.mode === 'updated') {
      const service = await ctx.docker.service(plan.id);
      if (!service?.PreviousSpec) continue;
      ctx.progress(`${plan.name}: rolling back to the previous revision`);
      await ctx.docker.updateService(service.ID, service.Version.Index, service.Spec, { rollback: true });
      rollbacks.push(
        waitForRollout(ctx, { serviceId: plan.id, label: plan.name, mode: 'rollback', deadline: deadline + 120_000 }),
      );
      restored.push(plan.name);
    }
  }
  await Promise.all(rollbacks);
  return restored;
}
