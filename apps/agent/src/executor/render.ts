import type { DesiredStack, RegistryAuth } from '@wharf/contracts';
import {
  parseImageReference,
  type RenderContext,
  RenderError,
  secretName,
  toSwarmNetwork,
  toSwarmSecret,
  toSwarmService,
} from '@wharf/engine';
import type { z } from 'zod';
import type { NetworkSpecToSend, RegistryLogin, RenderedServiceSpec, SecretSpecToSend } from '../docker/repository.js';
import { CommandError } from '../errors.js';

/** Every engine object of one desired stack, rendered by libs/engine (no I/O). */
export interface RenderedStack {
  context: RenderContext;
  networks: NetworkSpecToSend[];
  secrets: SecretSpecToSend[];
  /** Stack service name → rendered spec (secret ids still to be filled in). */
  services: { name: string; spec: RenderedServiceSpec }[];
}

export function renderStack(desired: DesiredStack, clusterId: string): RenderedStack {
  const { scope, stack } = desired;
  const secretValues = Object.entries(desired.secrets).filter(([name]) => name in stack.secrets);
  const context: RenderContext = {
    ...scope,
    deploymentId: desired.deploymentId,
    clusterId,
    routes: desired.routes,
    secrets: Object.fromEntries(secretValues.map(([name, value]) => [name, secretName(scope, name, value)])),
  };
  try {
    return {
      context,
      networks: [
        toSwarmNetwork(context),
        ...Object.entries(stack.networks).map(([name, spec]) => toSwarmNetwork(context, { name, spec })),
      ],
      secrets: secretValues.map(([name, value]) => toSwarmSecret(context, name, value)),
      services: stack.services.map((s) => ({ name: s.name, spec: toSwarmService(context, s) })),
    };
  } catch (err) {
    if (err instanceof RenderError || (err instanceof Error && err.name === 'InvalidNameError')) {
      throw new CommandError(`cannot render the stack: ${err.message}`);
    }
    throw err;
  }
}

function normaliseRegistry(address: string): string {
  const host = address
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/** The login for the registry an image is pulled from, if the stack has one. */
export function registryLoginFor(image: string, logins: z.output<typeof RegistryAuth>[]): RegistryLogin | undefined {
  const registry = parseImageReference(image)?.registry;
  if (!registry) return undefined;
  const wanted = normaliseRegistry(registry);
  const login = logins.find((l) => normaliseRegistry(l.serveraddress) === wanted);
  return login ? { serveraddress: login.serveraddress, username: login.username, password: login.password } : undefined;
}
