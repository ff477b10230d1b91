import type { EngineEvent, StackScope } from '@wharf/contracts';
import { LABEL_CLUSTER, LABEL_SERVICE } from '@wharf/engine';
import type { z } from 'zod';
import type { ApiClient } from './api-client.js';
import { backoffDelay, sleep } from './backoff.js';
import { EngineEventMessage } from './docker/engine-types.js';
import type { DockerRepository } from './docker/repository.js';
import { errorMessage, FatalAuthError, isAbort } from './errors.js';
import { ownedBy, scopeOf } from './executor/service-state.js';
import type { Logger } from './logger.js';

/*
 * Engine events: follows `GET /events` (containers, services, nodes), keeps those of this cluster (containers and
 * services labelled with our cluster id; nodes are the cluster's own), turns them into readable protocol events,
 * and reconnects with backoff when the stream ends.
 */

export type AgentEvent = z.output<typeof EngineEvent>;

export interface ServiceIdentity {
  scope: StackScope;
  service: string;
  /** The engine's service name. */
  name: string;
}

const CONTAINER_ACTIONS = new Set(['start', 'die', 'oom', 'kill', 'health_status: healthy', 'health_status: unhealthy']);

function at(msg: z.output<typeof EngineEventMessage>): number {
  if (msg.timeNano !== undefined) return Math.floor(msg.timeNano / 1e6);
  return msg.time !== undefined ? msg.time * 1000 : Date.now();
}

/** `web.2` from a container's swarm task name `<engine service name>.<slot>.<task id>`. */
function replicaName(attrs: Record<string, string>, service: string): string {
  const task = attrs['com.docker.swarm.task.name'] ?? '';
  const engineName = attrs['com.docker.swarm.service.name'] ?? '';
  const rest = engineName && task.startsWith(`${engineName}.`) ? task.slice(engineName.length + 1) : task;
  const slot = rest.split('.')[0];
  return slot && /^\d+$/.test(slot) ? `${service}.${slot}` : service;
}

/** A container event of this cluster as a protocol event (undefined: not ours, or not worth reporting). Pure. */
export function containerEvent(msg: z.output<typeof EngineEventMessage>, clusterId: string): AgentEvent | undefined {
  const attrs = msg.Actor?.Attributes ?? {};
  if (attrs[LABEL_CLUSTER] !== clusterId || !CONTAINER_ACTIONS.has(msg.Action)) return undefined;
  const scope = scopeOf(attrs);
  const service = attrs[LABEL_SERVICE];
  const who = `task ${replicaName(attrs, service ?? 'container')}`;
  const exit = attrs.exitCode !== undefined ? ` (exit ${attrs.exitCode})` : '';
  const message =
    msg.Action === 'die'
      ? `${who} died${exit}`
      : msg.Action === 'start'
        ? `${who} started`
        : msg.Action === 'oom'
          ? `${who} ran out of memory`
          : msg.Action === 'kill'
            ? `${who} was sent signal ${attrs.signal ?? '?'}`
            : `${who} is ${msg.Action.replace('health_status: ', '')}`;
  return {
    at: at(msg),
    type: 'container',
    action: msg.Action.slice(0, 64),
    ...(scope ? { scope } : {}),
    ...(service ? { service: service.slice(0, 63) } : {}),
    message,
  };
}

/** A service event of one of this cluster's services (identified by the caller). Pure. */
export function serviceEvent(msg: z.output<typeof EngineEventMessage>, who: ServiceIdentity): AgentEvent {
  const attrs = msg.Actor?.Attributes ?? {};
  const state = attrs['updatestate.new'];
  const replicas = attrs['replicas.new'];
  const detail = state
    ? ` (update ${state.replace('_', ' ')})`
    : replicas
      ? ` (replicas ${attrs['replicas.old'] ?? '?'} → ${replicas})`
      : '';
  const verb =
    msg.Action === 'create' ? 'created' : msg.Action === 'remove' ? 'removed' : msg.Action === 'update' ? 'updated' : msg.Action;
  return {
    at: at(msg),
    type: 'service',
    action: msg.Action.slice(0, 64),
    scope: who.scope,
    service: who.service.slice(0, 63),
    message: `service ${who.service} ${verb}${detail}`.slice(0, 2000),
  };
}

export function nodeEvent(msg: z.output<typeof EngineEventMessage>): AgentEvent {
  const attrs = msg.Actor?.Attributes ?? {};
  const changes = Object.entries(attrs)
    .filter(([k]) => k.endsWith('.new'))
    .map(([k, v]) => `${k.slice(0, -4)} ${attrs[`${k.slice(0, -4)}.old`] ?? '?'} → ${v}`);
  const name = attrs.name ?? msg.Actor?.ID ?? 'node';
  return {
    at: at(msg),
    type: 'node',
    action: msg.Action.slice(0, 64),
    message: `node ${name} ${msg.Action}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}`.slice(0, 2000),
  };
}

export interface WatchOptions {
  docker: DockerRepository;
  clusterId: string;
  log: Logger;
  signal: AbortSignal;
  /** Every event of this cluster, as soon as it is read. */
  onEvent(event: AgentEvent): void;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Follows the engine's events until `signal` aborts. */
export async function watchEngineEvents(options: WatchOptions): Promise<void> {
  const { docker, clusterId, log, signal } = options;
  const services = new Map<string, ServiceIdentity | null>();
  const identify = async (id: string | undefined): Promise<ServiceIdentity | undefined> => {
    if (!id) return undefined;
    if (!services.has(id)) {
      // a long-lived engine sees many services come and go: forget them all now and then
      if (services.size > 10_000) services.clear();
      const s = await docker.service(id);
      const scope = s && ownedBy(s.Spec.Labels, clusterId) ? scopeOf(s.Spec.Labels) : undefined;
      const service = s?.Spec.Labels[LABEL_SERVICE];
      services.set(id, s && scope && service ? { scope, service, name: s.Spec.Name } : null);
    }
    return services.get(id) ?? undefined;
  };
  let since: number | undefined;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const stream = await docker.events({ type: ['container', 'service', 'node'] }, since, signal);
      let buffered = '';
      for await (const chunk of stream) {
        failures = 0;
        buffered += Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (line.trim() === '') continue;
          const parsed = EngineEventMessage.safeParse(parseJson(line));
          if (!parsed.success) continue;
          const msg = parsed.data;
          if (msg.time !== undefined) since = msg.time;
          let event: AgentEvent | undefined;
          if (msg.Type === 'container') event = containerEvent(msg, clusterId);
          else if (msg.Type === 'node') event = nodeEvent(msg);
          else if (msg.Type === 'service') {
            const who = await identify(msg.Actor?.ID).catch((err: unknown) => {
              log.warn({ err: errorMessage(err) }, 'could not inspect the service of an event');
              return undefined;
            });
            if (who) event = serviceEvent(msg, who);
            if (msg.Action === 'remove' && msg.Actor?.ID) services.delete(msg.Actor.ID);
          }
          if (event) options.onEvent(event);
        }
      }
      log.debug('engine event stream ended; reconnecting');
    } catch (err) {
      if (isAbort(err, signal)) return;
      log.warn({ err: errorMessage(err) }, 'engine event stream failed; reconnecting');
    }
    try {
      await sleep(backoffDelay(failures++), signal);
    } catch {
      return;
    }
  }
}

const FLUSH_MS = 1000;
const MAX_BATCH = 1000;
const MAX_BUFFERED = 10_000;

/** Batches events to `POST /events` about once a second. */
export class EventReporter {
  private buffer: AgentEvent[] = [];

  constructor(
    private readonly api: ApiClient,
    private readonly log: Logger,
  ) {}

  add(event: AgentEvent): void {
    this.buffer.push(event);
    // an API that is away for long loses the oldest events, not the agent's memory
    if (this.buffer.length > MAX_BUFFERED) this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await sleep(FLUSH_MS, signal);
      } catch {
        return;
      }
      while (this.buffer.length > 0 && !signal.aborted) {
        const batch = this.buffer.slice(0, MAX_BATCH);
        try {
          await this.api.postEvents({ events: batch }, signal);
          this.buffer.splice(0, batch.length);
        } catch (err) {
          if (err instanceof FatalAuthError) throw err;
          if (isAbort(err, signal)) return;
          this.log.warn({ err: errorMessage(err), events: batch.length }, 'could not post events; keeping them for later');
          break;
        }
      }
    }
  }
}
