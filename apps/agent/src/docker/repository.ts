import { Readable } from 'node:stream';
import type { toSwarmNetwork, toSwarmSecret, toSwarmService } from '@wharf/engine';
import Docker from 'dockerode';
import { z } from 'zod';
import { EngineError, errorMessage } from '../errors.js';
import {
  EngineContainer,
  EngineContainerStats,
  EngineFileObject,
  EngineNetwork,
  EngineNode,
  EngineService,
  type EngineServiceSpec,
  EngineSystemInfo,
  EngineTask,
  EngineVersion,
  EngineVolume,
} from './engine-types.js';

/*
 * The only module that calls dockerode (the Docker Engine API over the local socket). Everything it returns is
 * parsed; every failure is an EngineError with the engine's status. "Already gone" answers (404) of removals and
 * inspections are not errors: removals return false, inspections undefined.
 */

/** A service spec as libs/engine renders it. */
export type RenderedServiceSpec = ReturnType<typeof toSwarmService>;
/** A rendered spec, or one read back from the engine (scale, rollback). */
export type ServiceSpecToSend = RenderedServiceSpec | EngineServiceSpec;
export type NetworkSpecToSend = ReturnType<typeof toSwarmNetwork>;
/** A secret or config spec (`toSwarmSecret`, `toSwarmConfig`: the same shape). */
export type FileObjectSpecToSend = ReturnType<typeof toSwarmSecret>;
export type FileObjectKind = 'secret' | 'config';

/** Credentials for the `X-Registry-Auth` header (never logged). */
export interface RegistryLogin {
  serveraddress: string;
  username: string;
  password: string;
}

export interface LogOptions {
  follow: boolean;
  tail: number;
  /** Unix seconds. */
  since?: number;
  signal?: AbortSignal;
}

export interface EngineSummary {
  version: string;
  apiVersion: string;
  os: string;
  swarmNodeId: string;
  swarmClusterId?: string;
  isManager: boolean;
  /** The machine's CPUs and memory, as the engine sees them (0: not reported). */
  cpus: number;
  memoryBytes: number;
}

/** The HTTP status of a dockerode error, if the engine answered. */
export function engineStatus(err: unknown): number | undefined {
  if (err instanceof EngineError) return err.statusCode;
  if (typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number') return err.statusCode;
  return undefined;
}

export function engineMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'json' in err) {
    const json = err.json;
    if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string') return json.message;
  }
  return errorMessage(err);
}

/** Runs an Engine API call; a failure becomes an EngineError naming the call, the engine's message and status. */
export async function engineCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new EngineError(`${what}: ${engineMessage(err)}`, engineStatus(err));
  }
}

async function gone(what: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (engineStatus(err) === 404) return false;
    throw new EngineError(`${what}: ${engineMessage(err)}`, engineStatus(err));
  }
}

const list = <T extends z.ZodType>(schema: T, data: unknown): z.output<T>[] => z.array(schema).parse(data ?? []);
const labelFilter = (labels: string[]) => ({ filters: { label: labels } });

export class DockerRepository {
  private apiVersionCache: string | undefined;

  constructor(readonly docker: Docker) {}

  static connect(socketPath: string): DockerRepository {
    return new DockerRepository(new Docker({ socketPath }));
  }

  async engine(): Promise<EngineSummary> {
    const [version, info] = await Promise.all([
      engineCall('GET /version', async () => EngineVersion.parse(await this.docker.version())),
      engineCall('GET /info', async () => EngineSystemInfo.parse(await this.docker.info())),
    ]);
    this.apiVersionCache = version.ApiVersion;
    return {
      version: version.Version,
      apiVersion: version.ApiVersion,
      os: info.OperatingSystem ?? version.Os ?? 'unknown',
      swarmNodeId: info.Swarm?.NodeID ?? '',
      ...(info.Swarm?.Cluster?.ID ? { swarmClusterId: info.Swarm.Cluster.ID } : {}),
      isManager: info.Swarm?.LocalNodeState === 'active' && info.Swarm.ControlAvailable === true,
      cpus: Math.max(0, Math.trunc(info.NCPU ?? 0)),
      memoryBytes: Math.max(0, Math.trunc(info.MemTotal ?? 0)),
    };
  }

  /** The engine's API version (cached after the first call). */
  async apiVersion(): Promise<string> {
    if (this.apiVersionCache === undefined) await this.engine();
    return this.apiVersionCache ?? '1.41';
  }

  async nodes(): Promise<EngineNode[]> {
    return engineCall('GET /nodes', async () => list(EngineNode, await this.docker.listNodes()));
  }

  // ---- services and tasks ---------------------------------------------------------------------------------

  async services(labels: string[]): Promise<EngineService[]> {
    return engineCall('GET /services', async () => list(EngineService, await this.docker.listServices(labelFilter(labels))));
  }

  async serviceByName(name: string): Promise<EngineService | undefined> {
    const found = await engineCall('GET /services', async () =>
      list(EngineService, await this.docker.listServices({ filters: { name: [name] } })),
    );
    // the engine's name filter matches prefixes: keep the exact name only
    return found.find((s) => s.Spec.Name === name);
  }

  async service(id: string): Promise<EngineService | undefined> {
    try {
      return EngineService.parse(await this.docker.getService(id).inspect());
    } catch (err) {
      if (engineStatus(err) === 404) return undefined;
      throw new EngineError(`GET /services/${id}: ${engineMessage(err)}`, engineStatus(err));
    }
  }

  /**
   * The tasks of these services (history included). The engine answers 404 to a `service` filter naming a service
   * that just went away, and a long list of ids makes a long URL: both fall back to listing every task.
   */
  async tasks(filters: { service: string[] }): Promise<EngineTask[]> {
    const ids = new Set(filters.service);
    if (ids.size === 0) return [];
    const all = async () => list(EngineTask, await this.docker.listTasks()).filter((t) => ids.has(t.ServiceID));
    if (ids.size > 50) return engineCall('GET /tasks', all);
    try {
      return list(EngineTask, await this.docker.listTasks({ filters: { service: [...ids] } }));
    } catch (err) {
      if (engineStatus(err) !== 404) throw new EngineError(`GET /tasks: ${engineMessage(err)}`, engineStatus(err));
      return engineCall('GET /tasks', all);
    }
  }

  async createService(spec: ServiceSpecToSend, auth: RegistryLogin | undefined): Promise<string> {
    return engineCall(`create service ${spec.Name}`, async () => {
      // the two-argument form: with one, dockerode would send the whole spec as the X-Registry-Auth header
      const created = await this.docker.createService(auth ?? {}, spec as Docker.ServiceSpec);
      return created.id;
    });
  }

  /** `POST /services/{id}/update?version=…[&rollback=previous]` with the spec as body (dockerode's `_query`/`_body`). */
  async updateService(
    id: string,
    version: number,
    spec: ServiceSpecToSend,
    options: { auth?: RegistryLogin; rollback?: boolean } = {},
  ): Promise<void> {
    const what = options.rollback ? `roll back service ${spec.Name}` : `update service ${spec.Name}`;
    await engineCall(what, () =>
      this.docker.getService(id).update({
        _query: { version, ...(options.rollback ? { rollback: 'previous' } : {}) },
        _body: spec,
        ...(options.auth ? { authconfig: options.auth } : {}),
      }),
    );
  }

  /**
   * `GET /distribution/{image}/json` with the login: asks the image's registry for its manifest, as the tenant.
   * Rejects with an EngineError when the registry refuses.
   */
  async inspectInRegistry(image: string, auth: RegistryLogin | undefined): Promise<void> {
    await engineCall(`look up ${image} in its registry`, () =>
      this.docker.getImage(image).distribution(auth ? { authconfig: auth } : {}),
    );
  }

  async removeService(id: string): Promise<boolean> {
    return gone(`remove service ${id}`, () => this.docker.getService(id).remove());
  }

  async serviceLogs(id: string, options: LogOptions): Promise<Readable> {
    const out: unknown = await engineCall(`GET /services/${id}/logs`, () =>
      this.docker.getService(id).logs({
        stdout: true,
        stderr: true,
        timestamps: true,
        details: true,
        follow: options.follow,
        tail: options.tail,
        ...(options.since !== undefined ? { since: options.since } : {}),
        ...(options.signal ? { abortSignal: options.signal } : {}),
      }),
    );
    if (out instanceof Readable) return out;
    if (Buffer.isBuffer(out)) return Readable.from([out]);
    return Readable.from([]);
  }

  // ---- networks, secrets, configs, volumes, containers --------------------------------------------------------

  async networks(labels: string[]): Promise<EngineNetwork[]> {
    return engineCall('GET /networks', async () => list(EngineNetwork, await this.docker.listNetworks(labelFilter(labels))));
  }

  async networkByName(name: string): Promise<EngineNetwork | undefined> {
    const found = await engineCall('GET /networks', async () =>
      list(EngineNetwork, await this.docker.listNetworks({ filters: { name: [name] } })),
    );
    return found.find((n) => n.Name === name);
  }

  /** Creates the network; when a concurrent creator won the race (409), returns the existing one's id. */
  async createNetwork(spec: NetworkSpecToSend): Promise<string> {
    try {
      const network = await this.docker.createNetwork({ ...spec, CheckDuplicate: true });
      return network.id;
    } catch (err) {
      if (engineStatus(err) !== 409)
        throw new EngineError(`create network ${spec.Name}: ${engineMessage(err)}`, engineStatus(err));
      const existing = await this.networkByName(spec.Name);
      if (!existing) throw new EngineError(`create network ${spec.Name}: conflict, but no such network`, 409);
      return existing.Id;
    }
  }

  /**
   * `DELETE /networks/{id}`. The engine answers 204 and then takes a few seconds to let an overlay network go (its last
   * endpoints are being released); asked again meanwhile, Docker 20.10 says 500 "network … not found" although the
   * network is still listed. Both mean the removal is under way: callers wait for it to disappear (`networks`).
   */
  async removeNetwork(id: string): Promise<boolean> {
    try {
      return await gone(`remove network ${id}`, () => this.docker.getNetwork(id).remove());
    } catch (err) {
      if (/not found/i.test(errorMessage(err))) return true;
      throw err;
    }
  }

  /** Secrets or configs with these labels. */
  async fileObjects(kind: FileObjectKind, labels: string[]): Promise<EngineFileObject[]> {
    return engineCall(`GET /${kind}s`, async () => list(EngineFileObject, await this.listFileObjects(kind, labelFilter(labels))));
  }

  async fileObjectByName(kind: FileObjectKind, name: string): Promise<EngineFileObject | undefined> {
    const found = await engineCall(`GET /${kind}s`, async () =>
      list(EngineFileObject, await this.listFileObjects(kind, { filters: { name: [name] } })),
    );
    return found.find((s) => s.Spec.Name === name);
  }

  /** Creates the secret or config; on a 409 race returns the id of the one that exists (same name = same content). */
  async createFileObject(kind: FileObjectKind, spec: FileObjectSpecToSend): Promise<string> {
    try {
      // dockerode resolves with a handle carrying the new id
      const created: unknown = await (kind === 'secret' ? this.docker.createSecret(spec) : this.docker.createConfig(spec));
      return z.object({ id: z.string() }).parse(created).id;
    } catch (err) {
      if (engineStatus(err) !== 409)
        throw new EngineError(`create ${kind} ${spec.Name}: ${engineMessage(err)}`, engineStatus(err));
      const existing = await this.fileObjectByName(kind, spec.Name);
      if (!existing) throw new EngineError(`create ${kind} ${spec.Name}: conflict, but no such ${kind}`, 409);
      return existing.ID;
    }
  }

  async removeFileObject(kind: FileObjectKind, id: string): Promise<boolean> {
    return gone(`remove ${kind} ${id}`, () =>
      (kind === 'secret' ? this.docker.getSecret(id) : this.docker.getConfig(id)).remove(),
    );
  }

  private async listFileObjects(kind: FileObjectKind, options: object): Promise<unknown> {
    return kind === 'secret' ? this.docker.listSecrets(options) : this.docker.listConfigs(options);
  }

  async volumes(labels: string[]): Promise<EngineVolume[]> {
    return engineCall('GET /volumes', async () => {
      const res: unknown = await this.docker.listVolumes(labelFilter(labels));
      return z.object({ Volumes: z.array(EngineVolume).nullish() }).parse(res).Volumes ?? [];
    });
  }

  async removeVolume(name: string): Promise<boolean> {
    return gone(`remove volume ${name}`, () => this.docker.getVolume(name).remove());
  }

  /** Containers (running or not) carrying all these labels. */
  async containers(labels: string[]): Promise<EngineContainer[]> {
    return engineCall('GET /containers', async () =>
      list(EngineContainer, await this.docker.listContainers({ all: true, ...labelFilter(labels) })),
    );
  }

  /** Running containers carrying all these labels. */
  async runningContainers(labels: string[]): Promise<EngineContainer[]> {
    return engineCall('GET /containers', async () =>
      list(EngineContainer, await this.docker.listContainers({ filters: { label: labels, status: ['running'] } })),
    );
  }

  /**
   * One reading of a container's CPU and memory counters (`stream=false&one-shot=true`: at once, without the engine's
   * second reading, so `precpu_stats` is empty: CPU use is the difference between two calls). Undefined when the
   * container is gone.
   */
  async containerStats(id: string, signal?: AbortSignal): Promise<EngineContainerStats | undefined> {
    const options = { stream: false as const, 'one-shot': true, ...(signal ? { abortSignal: signal } : {}) };
    try {
      return EngineContainerStats.parse(await this.docker.getContainer(id).stats(options));
    } catch (err) {
      if (engineStatus(err) === 404) return undefined;
      throw new EngineError(`GET /containers/${id}/stats: ${engineMessage(err)}`, engineStatus(err));
    }
  }

  /** Removes a container that has stopped (a finished job's, whose service is gone). */
  async removeContainer(id: string): Promise<boolean> {
    return gone(`remove container ${id}`, () => this.docker.getContainer(id).remove({ v: false }));
  }

  // ---- events -------------------------------------------------------------------------------------------------

  /** `GET /events` as a stream of newline-separated JSON messages. */
  async events(filters: Record<string, string[]>, since: number | undefined, signal: AbortSignal): Promise<Readable> {
    const stream: unknown = await engineCall('GET /events', () =>
      this.docker.getEvents({ filters, ...(since !== undefined ? { since } : {}), abortSignal: signal }),
    );
    if (!(stream instanceof Readable)) throw new EngineError('GET /events: no stream');
    return stream;
  }
}
