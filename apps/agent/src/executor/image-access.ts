import type { DesiredStack } from '@wharf/contracts';
import { CommandError, EngineError } from '../errors.js';
import type { ExecutorContext } from './context.js';
import { registryLoginFor } from './render.js';

// what the engine says when a registry refuses a login (or its absence)
const REFUSED = /unauthorized|authentication required|no basic auth|denied|forbidden/i;

/**
 * A node's image cache is shared by every tenant on it, and Swarm runs a cached image when its pull fails. So before
 * a deployment touches anything, each image is looked up in its registry with the tenant's own login (or none): a
 * tenant without access to a private image cannot run another tenant's cached copy. An image that does not exist is
 * left to Swarm, whose update then fails and rolls back.
 */
export async function checkImageAccess(ctx: ExecutorContext, desired: DesiredStack): Promise<void> {
  const images = [...new Set(desired.stack.services.map((s) => s.image))];
  for (const image of images) {
    try {
      await ctx.docker.inspectInRegistry(image, registryLoginFor(image, desired.registryAuth));
    } catch (err) {
      if (err instanceof EngineError && REFUSED.test(err.message)) {
        throw new CommandError(`the registry refused access to ${image}: ${err.message}`);
      }
      if (!(err instanceof EngineError)) throw err;
      ctx.progress(`could not look up ${image} in its registry: ${err.message}`);
    }
  }
}
