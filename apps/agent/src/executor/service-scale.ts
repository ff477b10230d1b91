import type { ServiceState, StackScope } from '@wharf/contracts';
import { serviceName } from '@wharf/engine';
import { sleep } from '../backoff.js';
import type { EngineService } from '../docker/engine-types.js';
import { CommandError, EngineError } from '../errors.js';
import { DEFAULT_POLL_MS, type ExecutorContext } from './context.js';
import { isRunning, ownedBy, replicasOf, scopeKey, statesOf } from './service-state.js';

/* service.scale: set one service's replica count, then wait (a bounded while) for the engine to get there. */

export interface ScaleResult {
  service: ServiceState;
  /** Whether the running count reached the new replica count before the wait ended. */
  converged: boolean;
}

const WAIT_MS = 60_000;

/** The service `name` of `scope`, made by this cluster; CommandError when there is none. */
export async function findStackService(ctx: ExecutorContext, scope: StackScope, name: string): Promise<EngineService> {
  const service = await ctx.docker.serviceByName(serviceName(scope, name));
  if (!service || !ownedBy(service.Spec.Labels, ctx.clusterId)) {
    throw new CommandError(`no service "${name}" in ${scopeKey(scope)} on this cluster`);
  }
  return service;
}

export async function scaleService(
  ctx: ExecutorContext,
  command: { scope: StackScope; service: string; replicas: number },
  waitMs = WAIT_MS,
): Promise<ScaleResult> {
  for (let attempt = 0; ; attempt++) {
    const service = await findStackService(ctx, command.scope, command.service);
    if (!service.Spec.Mode?.Replicated) throw new CommandError(`service "${command.service}" is not replicated`);
    if (replicasOf(service.Spec) === command.replicas) break;
    ctx.progress(`scaling ${command.service} from ${replicasOf(service.Spec)} to ${command.replicas}`);
    const spec = { ...service.Spec, Mode: { ...service.Spec.Mode, Replicated: { Replicas: command.replicas } } };
    try {
      await ctx.docker.updateService(service.ID, service.Version.Index, spec);
      break;
    } catch (err) {
      if (attempt < 3 && err instanceof EngineError && /out of sequence/i.test(err.message)) continue;
      throw err;
    }
  }
  const deadline = Date.now() + waitMs;
  let last = -1;
  for (;;) {
    const service = await findStackService(ctx, command.scope, command.service);
    const running = (await ctx.docker.tasks({ service: [service.ID] })).filter(isRunning).length;
    if (running !== last) ctx.progress(`${command.service}: ${running}/${command.replicas} replicas running`);
    last = running;
    const converged = running === command.replicas;
    if (converged || Date.now() >= deadline) {
      const [state] = await statesOf(ctx, [service]);
      if (!state) throw new CommandError(`service "${command.service}" has no Wharf labels`);
      return { service: state, converged };
    }
    await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
  }
}
