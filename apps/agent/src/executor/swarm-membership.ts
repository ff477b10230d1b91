import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { AgentCommand, SwarmJoinTokensResult, SwarmLeaveResult, SwarmNodeResult } from '@wharf/contracts';
import { sleep } from '../backoff.js';
import { type EngineSwarmInfo, SwarmEngine } from '../docker/swarm-engine.js';
import { CommandError, EngineError } from '../errors.js';
import { DEFAULT_POLL_MS, type ExecutorContext } from './context.js';

/*
 * swarm.init, swarm.join-tokens, swarm.join, swarm.leave: this host's engine in and out of a Swarm, for the host
 * provisioning workflow (the first host inits the Swarm, the others join it; a deprovisioned host leaves). Each is
 * idempotent, as commands are delivered at least once: the engine's membership is read first, and a command whose
 * outcome is already there answers as if it had just done it. Join tokens are never logged nor put in an error.
 */

type Command<K extends AgentCommand['kind']> = Extract<AgentCommand, { kind: K }>;

/** The Swarm port managers listen on. */
export const SWARM_PORT = 2377;
/** How long a join that the engine goes on with in the background (or an earlier delivery's join) is waited for. */
const JOIN_WAIT_MS = 60_000;

export const swarmEngine = (ctx: ExecutorContext) => new SwarmEngine(ctx.docker.docker);

/** `host` and `port` of `host[:port]` or `[v6][:port]`. */
export function splitAddr(addr: string): { host: string; port: number | undefined } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(addr);
  if (!match?.[1]) return { host: addr, port: undefined };
  return { host: match[1].replace(/^\[|\]$/g, ''), port: match[2] === undefined ? undefined : Number(match[2]) };
}

/** `host:port`, with the Swarm port when there is none. */
export function withSwarmPort(addr: string): string {
  const { host, port } = splitAddr(addr);
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port ?? SWARM_PORT}`;
}

/** The address the engine listens on for Swarm traffic: every interface, on the advertised port. */
const listenAddrFor = (advertiseAddr: string) => `0.0.0.0:${splitAddr(advertiseAddr).port ?? SWARM_PORT}`;

/**
 * The Swarm's root CA digest as a join token carries it (`SWMTKN-1-<digest>-<secret>`): the sha256 of the trust
 * root's PEM in base 36, padded to 50 characters (swarmkit's `GenerateJoinToken`).
 */
export function trustRootDigest(trustRootPem: string): string {
  const hex = createHash('sha256').update(trustRootPem).digest('hex');
  return BigInt(`0x${hex}`).toString(36).padStart(50, '0');
}

const tokenDigest = (token: string) => token.split('-')[2];

/** Whether the engine (a member of some Swarm) is in the Swarm that `token` and `remoteAddr` lead to. */
export function inSwarmOf(info: EngineSwarmInfo, remoteAddr: string, token: string): boolean {
  const trustRoot = info.Cluster?.TLSInfo?.TrustRoot;
  // a manager knows its Swarm's root CA, which the token names
  if (trustRoot && trustRootDigest(trustRoot) === tokenDigest(token)) return true;
  // a worker knows the managers it talks to
  const wanted = withSwarmPort(remoteAddr);
  return (info.RemoteManagers ?? []).some((m) => m.Addr !== undefined && withSwarmPort(m.Addr) === wanted);
}

function refuseUnusable(info: EngineSwarmInfo): void {
  if (info.LocalNodeState === 'locked') {
    throw new CommandError('this engine’s Swarm is locked (autolock): unlock it before changing its membership');
  }
  if (info.LocalNodeState === 'error') {
    throw new CommandError(`this engine’s Swarm membership is in error: ${info.Error ?? 'no detail'}`);
  }
}

/** Waits (a bounded while) for a join in progress to end; the engine's membership then. */
async function settled(ctx: ExecutorContext, engine: SwarmEngine, waitMs: number): Promise<EngineSwarmInfo> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const info = await engine.info();
    if (info.LocalNodeState !== 'pending' || Date.now() >= deadline) return info;
    await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
  }
}

/** The engine's answer to an init or join when it is in a Swarm already (503 in Docker 20.10, 406 in older ones). */
const alreadyInSwarm = (err: unknown) => err instanceof EngineError && /already part of a swarm/i.test(err.message);

function nodeIdOf(info: EngineSwarmInfo): string {
  if (!info.NodeID) throw new CommandError('the engine is in a Swarm but reports no node id');
  return info.NodeID;
}

export async function initSwarm(ctx: ExecutorContext, command: Command<'swarm.init'>): Promise<SwarmNodeResult> {
  const engine = swarmEngine(ctx);
  let info = await engine.info();
  refuseUnusable(info);
  if (info.LocalNodeState === 'pending') {
    throw new CommandError('this engine is joining a Swarm: it cannot start one (make it leave first)');
  }
  if (info.LocalNodeState === 'inactive' || !info.LocalNodeState) {
    ctx.progress(`starting a Swarm advertised at ${command.advertiseAddr}`);
    try {
      await engine.init(listenAddrFor(command.advertiseAddr), command.advertiseAddr);
    } catch (err) {
      // a concurrent delivery got there first: judged below like any engine already in a Swarm
      if (!alreadyInSwarm(err)) throw err;
    }
    info = await engine.info();
  }
  if (info.ControlAvailable !== true) {
    throw new CommandError(
      `this engine is already a worker of another Swarm (node ${info.NodeID ?? '?'}): it must leave it before starting one`,
    );
  }
  // a manager advertised elsewhere did not come from this command
  const wanted = splitAddr(command.advertiseAddr).host;
  if (isIP(wanted) !== 0 && info.NodeAddr && info.NodeAddr !== wanted) {
    throw new CommandError(
      `this engine is already a manager of another Swarm, advertised at ${info.NodeAddr} (not ${wanted}): it must leave it first`,
    );
  }
  return { nodeId: nodeIdOf(info) };
}

export async function swarmJoinTokens(ctx: ExecutorContext): Promise<SwarmJoinTokensResult> {
  const engine = swarmEngine(ctx);
  const info = await engine.info();
  if (info.LocalNodeState !== 'active' || info.ControlAvailable !== true) {
    throw new CommandError('this engine is not a Swarm manager: join tokens are read from a manager');
  }
  const tokens = await engine.joinTokens();
  const self = info.NodeID ? await engine.node(info.NodeID) : undefined;
  const managerAddr = self?.ManagerStatus?.Addr ?? (info.NodeAddr ? withSwarmPort(info.NodeAddr) : undefined);
  if (!managerAddr) throw new CommandError('this manager reports no address');
  return { manager: tokens.manager, worker: tokens.worker, managerAddr };
}

export async function joinSwarm(
  ctx: ExecutorContext,
  command: Command<'swarm.join'>,
  waitMs = JOIN_WAIT_MS,
): Promise<SwarmNodeResult> {
  const engine = swarmEngine(ctx);
  // an earlier delivery's join may still be under way
  let info = await settled(ctx, engine, waitMs);
  refuseUnusable(info);
  if (info.LocalNodeState === 'inactive' || !info.LocalNodeState) {
    ctx.progress(`joining the Swarm of ${command.remoteAddr}`);
    try {
      await engine.join({
        listenAddr: listenAddrFor(command.advertiseAddr),
        advertiseAddr: command.advertiseAddr,
        remoteAddr: command.remoteAddr,
        token: command.token,
      });
    } catch (err) {
      // the engine goes on joining in the background after its own timeout; or a concurrent join got there first
      const background = err instanceof EngineError && /timeout was reached before node joined/i.test(err.message);
      if (!background && !alreadyInSwarm(err)) throw err;
    }
    info = await settled(ctx, engine, waitMs);
  }
  if (info.LocalNodeState === 'pending') throw new CommandError(`still joining the Swarm of ${command.remoteAddr}`);
  refuseUnusable(info);
  if (info.LocalNodeState !== 'active') {
    throw new CommandError(`the engine did not join the Swarm (state ${info.LocalNodeState ?? 'unknown'})`);
  }
  if (!inSwarmOf(info, command.remoteAddr, command.token)) {
    throw new CommandError(
      `this engine is already in another Swarm (node ${info.NodeID ?? '?'}), not the one of ${command.remoteAddr}: it must leave it first`,
    );
  }
  return { nodeId: nodeIdOf(info) };
}

export async function leaveSwarm(ctx: ExecutorContext, command: Command<'swarm.leave'>): Promise<SwarmLeaveResult> {
  const engine = swarmEngine(ctx);
  const info = await engine.info();
  if (info.LocalNodeState === 'inactive' || !info.LocalNodeState) return { left: false };
  ctx.progress(`leaving the Swarm${command.force ? ' (forced)' : ''}`);
  return { left: await engine.leave(command.force) };
}
