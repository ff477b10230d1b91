import type { DesiredStack } from '@wharf/contracts';
import { engineStatus, type FileObjectKind } from '../docker/repository.js';
import { CommandError, errorMessage } from '../errors.js';
import type { ExecutorContext } from './context.js';
import type { RenderedStack } from './render.js';
import { scopeFilters } from './service-state.js';

/*
 * The objects a stack's services use: its networks (and those of other apps it joins through bindings), secrets
 * and configs. Each is found by name before it is created; what no service refers to any more is removed once the
 * stack is live.
 */

/** Engine ids of the stack's networks (created when missing) and of the networks it joins (which must exist). */
export async function ensureNetworks(
  ctx: ExecutorContext,
  rendered: RenderedStack,
  created: string[],
): Promise<Record<string, string>> {
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
  for (const name of rendered.joins) {
    const existing = await ctx.docker.networkByName(name);
    if (!existing) throw new CommandError(`network ${name} of a bound app does not exist (is that app deployed?)`);
    ids[name] = existing.Id;
  }
  return ids;
}

/** Engine ids of the stack's secrets or configs, created when missing (names carry a hash of the content). */
export async function ensureFileObjects(
  ctx: ExecutorContext,
  kind: FileObjectKind,
  specs: RenderedStack['secrets'],
  created: string[],
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const spec of specs) {
    const existing = await ctx.docker.fileObjectByName(kind, spec.Name);
    if (existing) {
      ids[spec.Name] = existing.ID;
      continue;
    }
    ctx.progress(`creating ${kind} ${spec.Name}`);
    ids[spec.Name] = await ctx.docker.createFileObject(kind, spec);
    created.push(`${kind}:${spec.Name}`);
  }
  return ids;
}

/** Services of the stack's scope (this cluster) no longer in the stack, and secrets and configs no service uses. */
export async function cleanUp(ctx: ExecutorContext, desired: DesiredStack, keep: Set<string>): Promise<void> {
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
      const c = spec?.TaskTemplate?.ContainerSpec;
      for (const ref of [...(c?.Secrets ?? []), ...(c?.Configs ?? [])]) {
        for (const v of Object.values(ref)) if (typeof v === 'string') referenced.add(v);
      }
    }
  }
  for (const kind of ['secret', 'config'] as const) {
    for (const object of await ctx.docker.fileObjects(kind, filters)) {
      if (referenced.has(object.ID) || referenced.has(object.Spec.Name)) continue;
      try {
        await ctx.docker.removeFileObject(kind, object.ID);
        ctx.progress(`removed ${kind} ${object.Spec.Name} (no longer used)`);
      } catch (err) {
        // still in use by a task being shut down: the next apply removes it
        ctx.log.warn({ [kind]: object.Spec.Name, status: engineStatus(err), err: errorMessage(err) }, `could not remove ${kind}`);
      }
    }
  }
}
