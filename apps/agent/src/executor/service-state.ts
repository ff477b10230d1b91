import { type ServiceState, StackScope } from '@wharf/contracts';
import {
  LABEL_APP,
  LABEL_CLUSTER,
  LABEL_DEPLOYMENT,
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_SERVICE,
  LABEL_TENANT,
  labelFilters,
  MANAGED_BY,
} from '@wharf/engine';
import type { EngineService, EngineServiceSpec, EngineTask } from '../docker/engine-types.js';
import type { DockerRepository } from '../docker/repository.js';

/* Pure readings of engine objects: which tasks run, which belong to the current spec, what a service's state is. */

/** Task states after which a task never runs again. */
const FAILED_STATES = new Set(['failed', 'rejected', 'orphaned']);
/** Errors older than this are history, not the service's state. */
const RECENT_ERROR_MS = 15 * 60_000;

/** Swarm keeps a task in `starting` until its health check passes, so `running` means started and healthy. */
export function isRunning(task: EngineTask): boolean {
  return task.DesiredState === 'running' && task.Status.State === 'running';
}

export function isFailed(task: EngineTask): boolean {
  return FAILED_STATES.has(task.Status.State);
}

/** Replicas a service should run (a job: the runs it should complete). */
export function replicasOf(spec: EngineServiceSpec): number {
  return spec.Mode?.Replicated?.Replicas ?? spec.Mode?.ReplicatedJob?.TotalCompletions ?? 0;
}

/** Keys sorted recursively, so two encodings of the same value compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function templateKey(template: unknown): string {
  if (typeof template !== 'object' || template === null) return canonicalJson(template);
  // the engine adds `Runtime` to the service's template but not to the task's copy
  const { Runtime: _runtime, ...rest } = template as Record<string, unknown>;
  return canonicalJson(rest);
}

/** Whether the task was made from the service's current spec (not a leftover of the spec before an update). */
export function isCurrentTask(task: EngineTask, spec: EngineServiceSpec): boolean {
  return templateKey(task.Spec) === templateKey(spec.TaskTemplate);
}

function taskTime(task: EngineTask): number {
  return Date.parse(task.Status.Timestamp ?? task.UpdatedAt ?? task.CreatedAt ?? '') || 0;
}

/** The newest task error (Status.Err) among `tasks`, if any newer than `sinceMs`. */
export function lastTaskError(tasks: EngineTask[], sinceMs = 0): string | undefined {
  const withErr = tasks.filter((t) => t.Status.Err && taskTime(t) >= sinceMs).sort((a, b) => taskTime(b) - taskTime(a));
  const newest = withErr[0];
  return newest?.Status.Err ? newest.Status.Err.slice(0, 2000) : undefined;
}

/** The stack scope a Wharf object's labels name, if they name a valid one. */
export function scopeOf(labels: Record<string, string>): StackScope | undefined {
  const parsed = StackScope.safeParse({
    tenantId: labels[LABEL_TENANT],
    app: labels[LABEL_APP],
    environment: labels[LABEL_ENVIRONMENT],
  });
  return parsed.success ? parsed.data : undefined;
}

export function scopeKey(scope: StackScope): string {
  return `${scope.tenantId}/${scope.app}/${scope.environment}`;
}

/** Label filters selecting the Wharf objects of `scope` that this cluster's agent made. */
export function scopeFilters(scope: StackScope, clusterId: string, service?: string): string[] {
  return [...labelFilters({ ...scope, ...(service !== undefined ? { service } : {}) }), `${LABEL_CLUSTER}=${clusterId}`];
}

/** Label filters selecting every Wharf object of this cluster. */
export function clusterFilters(clusterId: string): string[] {
  return [`${LABEL_MANAGED_BY}=${MANAGED_BY}`, `${LABEL_CLUSTER}=${clusterId}`];
}

/** Whether a Wharf object with these labels was made by this cluster's agent. */
export function ownedBy(labels: Record<string, string>, clusterId: string): boolean {
  return labels[LABEL_MANAGED_BY] === MANAGED_BY && labels[LABEL_CLUSTER] === clusterId;
}

/** A service as reported to the API (undefined for a service without a valid Wharf scope). */
export function serviceState(service: EngineService, tasks: EngineTask[], now = Date.now()): ServiceState | undefined {
  const labels = service.Spec.Labels;
  const scope = scopeOf(labels);
  const name = labels[LABEL_SERVICE];
  if (!scope || !name) return undefined;
  const own = tasks.filter((t) => t.ServiceID === service.ID);
  // a job's "running" replicas are its completed runs
  const job = service.Spec.Mode?.ReplicatedJob !== undefined;
  const running = own.filter((t) => (job ? t.Status.State === 'complete' : isRunning(t))).length;
  const message = lastTaskError(own, now - RECENT_ERROR_MS);
  const deploymentId = labels[LABEL_DEPLOYMENT];
  const updateState = service.UpdateStatus?.State;
  return {
    scope,
    service: name,
    desired: service.Spec.Mode?.Global !== undefined ? running : replicasOf(service.Spec),
    running,
    healthy: running,
    ...(updateState ? { updateState: updateState.slice(0, 64) } : {}),
    ...(deploymentId ? { deploymentId: deploymentId.slice(0, 64) } : {}),
    ...(message ? { message } : {}),
  };
}

/** Tasks by service id. */
export function tasksByService(tasks: EngineTask[]): Map<string, EngineTask[]> {
  const out = new Map<string, EngineTask[]>();
  for (const t of tasks) {
    const list = out.get(t.ServiceID);
    if (list) list.push(t);
    else out.set(t.ServiceID, [t]);
  }
  return out;
}

/** The reported states of `services`, reading their tasks in one call. */
export async function statesOf(ctx: { docker: DockerRepository }, services: EngineService[]): Promise<ServiceState[]> {
  const tasks = tasksByService(await ctx.docker.tasks({ service: services.map((s) => s.ID) }));
  return services.map((s) => serviceState(s, tasks.get(s.ID) ?? [])).filter((s): s is ServiceState => s !== undefined);
}
