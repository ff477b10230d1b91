import type Docker from 'dockerode';
import { z } from 'zod';
import { EngineError } from '../errors.js';
import { EngineTask } from './engine-types.js';
import { engineCall, engineMessage, engineStatus } from './repository.js';

/*
 * The Swarm membership and node calls of the Docker Engine API (`/swarm/*`, `/nodes/*`), parsed as they leave
 * dockerode; every failure is an EngineError with the engine's status, and a 404 of an inspection or a removal is
 * not an error. It belongs with DockerRepository (the module of the engine's other calls) and may move there; until
 * then it reaches dockerode through the repository's own client.
 * Join tokens pass through here: they are never put into an error message or a log line.
 */

/** `Swarm` of `GET /info`: what this engine knows of its Swarm membership. */
export const EngineSwarmInfo = z.looseObject({
  NodeID: z.string().optional(),
  NodeAddr: z.string().optional(),
  /** `inactive`, `pending` (joining), `active`, `error`, `locked`. */
  LocalNodeState: z.string().optional(),
  ControlAvailable: z.boolean().optional(),
  Error: z.string().optional(),
  RemoteManagers: z.array(z.looseObject({ NodeID: z.string().optional(), Addr: z.string().optional() })).nullish(),
  /** Managers only. */
  Cluster: z
    .looseObject({ ID: z.string().optional(), TLSInfo: z.looseObject({ TrustRoot: z.string().optional() }).nullish() })
    .nullish(),
});
export type EngineSwarmInfo = z.output<typeof EngineSwarmInfo>;

const SwarmInspect = z.looseObject({
  ID: z.string(),
  JoinTokens: z.looseObject({ Worker: z.string(), Manager: z.string() }),
});

export const SwarmNode = z.looseObject({
  ID: z.string(),
  Version: z.object({ Index: z.number() }),
  /** Sent back whole (with Role and Availability changed) by an update, as the engine wants the full spec. */
  Spec: z.looseObject({ Role: z.string().optional(), Availability: z.string().optional() }),
  Status: z.looseObject({ State: z.string().optional(), Addr: z.string().optional() }).optional(),
  ManagerStatus: z
    .looseObject({ Leader: z.boolean().optional(), Reachability: z.string().optional(), Addr: z.string().optional() })
    .nullish(),
});
export type SwarmNode = z.output<typeof SwarmNode>;
export type SwarmNodeSpec = SwarmNode['Spec'];

export class SwarmEngine {
  constructor(private readonly docker: Docker) {}

  async info(): Promise<EngineSwarmInfo> {
    return engineCall('GET /info', async () => {
      const info = z.looseObject({ Swarm: EngineSwarmInfo.optional() }).parse(await this.docker.info());
      return info.Swarm ?? {};
    });
  }

  /** `POST /swarm/init`; resolves with the new node id. */
  async init(listenAddr: string, advertiseAddr: string): Promise<string> {
    return engineCall('POST /swarm/init', async () =>
      z.string().parse(await this.docker.swarmInit({ ListenAddr: listenAddr, AdvertiseAddr: advertiseAddr })),
    );
  }

  /** `POST /swarm/join`. The token is not in any error this throws. */
  async join(options: { listenAddr: string; advertiseAddr: string; remoteAddr: string; token: string }): Promise<void> {
    await engineCall('POST /swarm/join', () =>
      this.docker.swarmJoin({
        ListenAddr: options.listenAddr,
        AdvertiseAddr: options.advertiseAddr,
        RemoteAddrs: [options.remoteAddr],
        JoinToken: options.token,
      }),
    );
  }

  /** `POST /swarm/leave`; false when the engine was in no Swarm (406). */
  async leave(force: boolean): Promise<boolean> {
    try {
      await this.docker.swarmLeave({ force });
      return true;
    } catch (err) {
      if (engineStatus(err) === 406 || /not part of a swarm/i.test(engineMessage(err))) return false;
      throw new EngineError(`POST /swarm/leave: ${engineMessage(err)}`, engineStatus(err));
    }
  }

  /** `GET /swarm` (a manager only): the join tokens among the rest. */
  async joinTokens(): Promise<{ worker: string; manager: string }> {
    return engineCall('GET /swarm', async () => {
      const swarm = SwarmInspect.parse(await this.docker.swarmInspect());
      return { worker: swarm.JoinTokens.Worker, manager: swarm.JoinTokens.Manager };
    });
  }

  async node(id: string): Promise<SwarmNode | undefined> {
    try {
      return SwarmNode.parse(await this.docker.getNode(id).inspect());
    } catch (err) {
      if (engineStatus(err) === 404) return undefined;
      throw new EngineError(`GET /nodes/${id}: ${engineMessage(err)}`, engineStatus(err));
    }
  }

  async nodes(): Promise<SwarmNode[]> {
    return engineCall('GET /nodes', async () => z.array(SwarmNode).parse((await this.docker.listNodes()) ?? []));
  }

  /** `POST /nodes/{id}/update?version=…` with the whole spec as body. */
  async updateNode(id: string, version: number, spec: SwarmNodeSpec): Promise<void> {
    await engineCall(`update node ${id}`, () => this.docker.getNode(id).update({ _query: { version }, _body: spec }));
  }

  /** `DELETE /nodes/{id}`; false when there is no such node. */
  async removeNode(id: string, force: boolean): Promise<boolean> {
    try {
      await this.docker.getNode(id).remove({ force });
      return true;
    } catch (err) {
      if (engineStatus(err) === 404) return false;
      throw new EngineError(`remove node ${id}: ${engineMessage(err)}`, engineStatus(err));
    }
  }

  /** The tasks the manager has placed on node `id` (history included). */
  async tasksOn(id: string): Promise<EngineTask[]> {
    return engineCall('GET /tasks', async () =>
      z.array(EngineTask).parse((await this.docker.listTasks({ filters: { node: [id] } })) ?? []),
    );
  }
}
