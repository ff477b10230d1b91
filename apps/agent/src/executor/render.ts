import type { DesiredStack, RegistryAuth } from '@wharf/contracts';
import {
  configName,
  parseImageReference,
  type RenderContext,
  RenderError,
  secretName,
  toSwarmConfig,
  toSwarmNetwork,
  toSwarmSecret,
  toSwarmService,
} from '@wharf/engine';
import type { z } from 'zod';
import type { FileObjectSpecToSend, NetworkSpecToSend, RegistryLogin, RenderedServiceSpec } from '../docker/repository.js';
import { CommandError } from '../errors.js';

/** Every engine object of one desired stack, rendered by libs/engine (no I/O). */
export interface RenderedStack {
  context: RenderContext;
  /** The networks the stack creates (not the other apps' environment networks its bindings join). */
  networks: NetworkSpecToSend[];
  /** Engine names of networks the stack joins but does not own (other apps' environments, `host`): they must exist. */
  joins: string[];
  secrets: FileObjectSpecToSend[];
  configs: FileObjectSpecToSend[];
  /** Stack service name → rendered spec (secret and config ids still to be filled in). */
  services: { name: string; spec: RenderedServiceSpec }[];
}

export function renderStack(desired: DesiredStack, clusterId: string): RenderedStack {
  const { scope, stack } = desired;
  const secretValues = Object.entries(desired.secrets).filter(([name]) => name in stack.secrets);
  const configValues = Object.entries(desired.configs).filter(([name]) => name in stack.configs);
  const context: RenderContext = {
    ...scope,
    deploymentId: desired.deploymentId,
    clusterId,
    routes: desired.routes,
    secrets: Object.fromEntries(secretValues.map(([name, value]) => [name, secretName(scope, name, value)])),
    configs: Object.fromEntries(configValues.map(([name, value]) => [name, configName(scope, name, value)])),
  };
  const own = Object.entries(stack.networks).filter(([, spec]) => spec.environmentOf === undefined);
  const joined = Object.values(stack.networks).flatMap((spec) => (spec.environmentOf ? [spec.environmentOf] : []));
  try {
    return {
      context,
      networks: [toSwarmNetwork(context), ...own.map(([name, spec]) => toSwarmNetwork(context, { name, spec }))],
      joins: [
        ...joined.map((env) => toSwarmNetwork({ tenantId: scope.tenantId, app: env.app, environment: env.environment }).Name),
        // the engine stores the attachment to the host's network by its id, like any other
        ...(stack.services.some((s) => s.host?.network) ? ['host'] : []),
      ],
      secrets: secretValues.map(([name, value]) => toSwarmSecret(context, name, value)),
      configs: configValues.map(([name, value]) => toSwarmConfig(context, name, value)),
      services: stack.services.map((s) => ({ name: s.name, spec: toSwarmService(context, s, stack) })),
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
