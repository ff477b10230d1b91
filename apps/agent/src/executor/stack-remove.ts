import type { StackScope } from '@wharf/contracts';
import { sleep } from '../backoff.js';
import { engineStatus } from '../docker/repository.js';
import { errorMessage } from '../errors.js';
import { DEFAULT_POLL_MS, type ExecutorContext } from './context.js';
import { scopeFilters, scopeKey } from './service-state.js';

/*
 * stack.remove: every engine object of one stack scope that this cluster's agent made — services first, then (once
 * their containers are gone, or networks would still be in use) networks, secrets, configs, and volumes if asked.
 * Something already gone counts as removed.
 */

export interface RemoveOptions {
  volumes: boolean;
  /** How long to wait for containers to go and for networks and volumes to be released. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 90_000;
/** Container states that hold nothing any more (no process, no network endpoint). */
const STOPPED = new Set(['exited', 'dead', 'created']);

/** Retries a removal the engine refuses because the object is still in use, until the deadline. */
async function removeWhenFree(
  ctx: ExecutorContext,
  what: string,
  remove: () => Promise<boolean>,
  deadline: number,
): Promise<void> {
  for (;;) {
    try {
      await remove();
      return;
    } catch (err) {
      const status = engineStatus(err);
      const inUse = status === 403 || status === 409 || (status === 400 && /in use/i.test(errorMessage(err)));
      if (!inUse || Date.now() >= deadline) throw err;
      ctx.log.debug({ what, status }, 'still in use, retrying removal');
      await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
    }
  }
}

/** Removes the scope's objects; returns `kind:name` of what it removed. */
export async function removeStack(ctx: ExecutorContext, scope: StackScope, options: RemoveOptions): Promise<string[]> {
  const filters = scopeFilters(scope, ctx.clusterId);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const removed: string[] = [];

  for (const service of await ctx.docker.services(filters)) {
    ctx.progress(`removing service ${service.Spec.Name}`);
    if (await ctx.docker.removeService(service.ID)) removed.push(`service:${service.Spec.Name}`);
  }
  let reported = -1;
  for (;;) {
    const containers = await ctx.docker.containers(filters);
    // a stopped container of a removed service (a job's finished run) is not cleaned up by Swarm for a while
    for (const c of containers.filter((x) => STOPPED.has(x.State ?? ''))) await ctx.docker.removeContainer(c.Id);
    const left = containers.filter((x) => !STOPPED.has(x.State ?? '')).length;
    if (left === 0) break;
    if (left !== reported) ctx.progress(`waiting for ${left} container(s) of ${scopeKey(scope)} to stop`);
    reported = left;
    if (Date.now() >= deadline) {
      ctx.progress(`${left} container(s) still there; removing the rest anyway`);
      break;
    }
    await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
  }
  for (const network of await ctx.docker.networks(filters)) {
    ctx.progress(`removing network ${network.Name}`);
    await removeWhenFree(ctx, `network ${network.Name}`, () => ctx.docker.removeNetwork(network.Id), deadline);
    removed.push(`network:${network.Name}`);
  }
  // the engine lets an overlay network go a few seconds after it accepted its removal: a stack applied again right
  // away (a redelivered integration test) must not find the old one and attach to it
  while ((await ctx.docker.networks(filters)).length > 0 && Date.now() < deadline) {
    await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
  }
  for (const secret of await ctx.docker.fileObjects('secret', filters)) {
    await removeWhenFree(ctx, `secret ${secret.Spec.Name}`, () => ctx.docker.removeFileObject('secret', secret.ID), deadline);
    removed.push(`secret:${secret.Spec.Name}`);
  }
  for (const config of await ctx.docker.fileObjects('config', filters)) {
    await removeWhenFree(ctx, `config ${config.Spec.Name}`, () => ctx.docker.removeFileObject('config', config.ID), deadline);
    removed.push(`config:${config.Spec.Name}`);
  }
  if (options.volumes) {
    for (const volume of await ctx.docker.volumes(filters)) {
      ctx.progress(`removing volume ${volume.Name}`);
      await removeWhenFree(ctx, `volume ${volume.Name}`, () => ctx.docker.removeVolume(volume.Name), deadline);
      removed.push(`volume:${volume.Name}`);
    }
  }
  ctx.progress(`removed ${removed.length} object(s) of ${scopeKey(scope)}`);
  return removed;
}
