import { type DiffOptions, diffServiceSpec } from '@wharf/engine';
import { sleep } from '../backoff.js';
import type { EngineService, EngineTask } from '../docker/engine-types.js';
import type { RenderedServiceSpec } from '../docker/repository.js';
import { DEFAULT_POLL_MS, type ExecutorContext } from './context.js';
import { isCurrentTask, isFailed, isRunning, lastTaskError, replicasOf } from './service-state.js';

/*
 * Waiting for a service to reach an outcome after the agent created, updated or rolled it back. Swarm does the
 * rolling update and the automatic rollback; the agent only reads `UpdateStatus` and the tasks.
 */

export type Outcome = 'live' | 'rolled_back' | 'failed';

export type Verdict = { done: false; progress: string } | { done: true; outcome: Outcome; reason?: string; progress: string };

export interface RolloutInput {
  /**
   * `apply`: the service should end up running `desired` (created, updated or already equal).
   * `rollback`: the service is rolling back (Swarm's automatic rollback of this revision, or one the agent asked for).
   */
  mode: 'apply' | 'rollback';
  service: EngineService;
  tasks: EngineTask[];
  /** Whether the service's current spec is the desired one (Swarm reverts the spec when it rolls back). */
  specMatches: boolean;
  /** The message Swarm gave when the rollback started (it is replaced by "rollback completed" at the end). */
  rollbackMessage?: string;
}

/** A new service whose tasks keep failing with none running is given up after this many failed tasks. */
export const MAX_FAILED_TASKS = 3;

function join(parts: (string | undefined)[]): string {
  return [...new Set(parts.filter((p): p is string => !!p))].join('; ');
}

/** A job (runs to completion): done when all its runs completed, failed when a run failed for good. Pure. */
function evaluateJob(input: RolloutInput): Verdict {
  const { service, tasks } = input;
  const total = service.Spec.Mode?.ReplicatedJob?.TotalCompletions ?? 1;
  const current = tasks.filter((t) => isCurrentTask(t, service.Spec));
  const complete = current.filter((t) => t.Status.State === 'complete').length;
  const progress = `${complete}/${total} runs complete`;
  if (complete >= total) return { done: true, outcome: 'live', progress };
  const failed = current.filter(isFailed);
  const restarts = service.Spec.TaskTemplate?.RestartPolicy?.Condition !== 'none';
  if (failed.length > 0 && (!restarts || failed.length >= MAX_FAILED_TASKS)) {
    const exit = failed[0]?.Status.ContainerStatus?.ExitCode;
    return {
      done: true,
      outcome: 'failed',
      reason: join([`the job failed${exit !== undefined ? ` (exit code ${exit})` : ''}`, lastTaskError(failed)]),
      progress,
    };
  }
  return { done: false, progress };
}

/** Where a rollout stands, from one look at the service and its tasks. Pure. */
export function evaluateRollout(input: RolloutInput): Verdict {
  if (input.service.Spec.Mode?.ReplicatedJob) return evaluateJob(input);
  const { service, tasks } = input;
  const replicas = replicasOf(service.Spec);
  const current = tasks.filter((t) => isCurrentTask(t, service.Spec));
  const running = current.filter(isRunning).length;
  const state = service.UpdateStatus?.State;
  const message = service.UpdateStatus?.Message;
  const err = lastTaskError(tasks);
  const progress = `${running}/${replicas} replicas running${state ? ` (${state.replace('_', ' ')})` : ''}`;
  const rolledBackReason = () =>
    join([input.rollbackMessage, message, err ? `last task error: ${err}` : undefined]) || 'update rolled back';

  if (state === 'paused' || state === 'rollback_paused') {
    return { done: true, outcome: 'failed', reason: join([`update ${state.replace('_', ' ')}`, message, err]), progress };
  }
  if (input.mode === 'rollback') {
    if (state === 'rollback_completed') return { done: true, outcome: 'rolled_back', reason: rolledBackReason(), progress };
    if (state === undefined && running >= replicas)
      return { done: true, outcome: 'rolled_back', reason: rolledBackReason(), progress };
    return { done: false, progress };
  }
  if (state === 'updating' || state === 'rollback_started') return { done: false, progress };
  if (state === 'rollback_completed' && !input.specMatches) {
    return { done: true, outcome: 'rolled_back', reason: rolledBackReason(), progress };
  }
  if (running >= replicas) return { done: true, outcome: 'live', progress };
  const failed = current.filter(isFailed);
  if (failed.length >= MAX_FAILED_TASKS && running === 0) {
    return {
      done: true,
      outcome: 'failed',
      reason: join([`${failed.length} tasks failed`, lastTaskError(failed) ?? err]),
      progress,
    };
  }
  return { done: false, progress };
}

export interface WaitResult {
  outcome: Outcome;
  reason?: string;
}

export interface WaitOptions {
  serviceId: string;
  /** The service's name in messages. */
  label: string;
  mode: RolloutInput['mode'];
  /** The spec the service should end up with (apply mode). */
  desired?: RenderedServiceSpec;
  /** How to compare it with the engine's spec (network ids, engine API version). */
  diff?: DiffOptions;
  /** Epoch ms. */
  deadline: number;
}

/** Polls the service and its tasks (every `ctx.pollMs`) until `evaluateRollout` reaches an outcome or the deadline. */
export async function waitForRollout(ctx: ExecutorContext, options: WaitOptions): Promise<WaitResult> {
  const { serviceId, label, mode, desired, deadline } = options;
  let lastProgress = '';
  let rollbackMessage: string | undefined;
  for (;;) {
    const service = await ctx.docker.service(serviceId);
    if (!service) return { outcome: 'failed', reason: `service ${label} was removed while it was being deployed` };
    const tasks = await ctx.docker.tasks({ service: [serviceId] });
    const state = service.UpdateStatus?.State;
    if (state === 'rollback_started' && rollbackMessage === undefined) {
      rollbackMessage = service.UpdateStatus?.Message ?? 'rollback started';
      ctx.progress(`${label}: rollback: ${rollbackMessage}`);
    }
    const specMatches = desired ? !diffServiceSpec(service.Spec, desired, options.diff).needsUpdate : true;
    const verdict = evaluateRollout({ mode, service, tasks, specMatches, ...(rollbackMessage ? { rollbackMessage } : {}) });
    if (verdict.progress !== lastProgress) {
      ctx.progress(`${label}: ${verdict.progress}`);
      // replicas started or stopped: route to them without waiting for the engine's events
      ctx.tasksChanged?.();
      lastProgress = verdict.progress;
    }
    if (verdict.done) return { outcome: verdict.outcome, ...(verdict.reason ? { reason: verdict.reason } : {}) };
    if (Date.now() >= deadline) {
      return { outcome: 'failed', reason: `timed out waiting for ${label} (${verdict.progress})` };
    }
    await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
  }
}
