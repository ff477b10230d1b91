import type { AgentCommand, CommandResult, DeliveredCommand } from '@wharf/contracts';
import type { ApiClient } from './api-client.js';
import { backoffDelay, sleep } from './backoff.js';
import { errorMessage, FatalAuthError, isAbort } from './errors.js';
import { commandLane } from './executor/index.js';
import type { Logger } from './logger.js';

/*
 * The command loop. Commands are delivered at least once: one already queued or running is not started again, and
 * one finished recently gets its result posted again instead of being re-run. Commands of one stack scope run one
 * after another in arrival order; a cluster.converge runs alone; log streams run beside everything.
 */

export interface SchedulerDeps {
  /** Runs the command (resolves with its result value). */
  execute(id: string, command: AgentCommand, signal: AbortSignal): Promise<unknown>;
  /** Posts the result; retries on its own, rejects only with a non-retryable error. */
  report(id: string, result: CommandResult): Promise<void>;
  log: Logger;
  /** The credential was refused while reporting. */
  onFatal(err: FatalAuthError): void;
}

const REMEMBER_RESULTS = 500;
const done = Promise.resolve();

export class CommandScheduler {
  /** Queued, running, or reporting: id → its whole run. */
  private readonly active = new Map<string, Promise<void>>();
  /** Scope key → the last run of that lane. */
  private readonly lanes = new Map<string, Promise<void>>();
  private clusterBarrier: Promise<void> = done;
  private readonly results = new Map<string, CommandResult>();
  private readonly abort = new AbortController();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Ids of the commands delivered and not yet reported (their leases are extended by the heartbeat). */
  ids(): string[] {
    return [...this.active.keys()];
  }

  deliver(commands: DeliveredCommand[]): void {
    for (const { id, command } of commands) {
      if (this.abort.signal.aborted) return;
      if (this.active.has(id)) {
        this.deps.log.debug({ commandId: id, kind: command.kind }, 'command delivered again while active: not started twice');
        continue;
      }
      const known = this.results.get(id);
      if (known) {
        this.deps.log.info(
          { commandId: id, kind: command.kind },
          'command delivered again after it finished: posting its result again',
        );
        this.track(id, this.post(id, command, known));
        continue;
      }
      const lane = commandLane(command);
      let before: Promise<unknown> = done;
      if (lane?.kind === 'scope') before = Promise.all([this.clusterBarrier, this.lanes.get(lane.key) ?? done]);
      if (lane?.kind === 'cluster') before = Promise.all([this.clusterBarrier, ...this.lanes.values()]);
      const run = before.then(() => this.run(id, command));
      if (lane?.kind === 'scope') {
        this.lanes.set(lane.key, run);
        void run.then(() => {
          if (this.lanes.get(lane.key) === run) this.lanes.delete(lane.key);
        });
      }
      if (lane?.kind === 'cluster') this.clusterBarrier = run;
      this.track(id, run);
    }
  }

  /** Stops starting commands, aborts the running ones (no result is posted for them) and waits for them a while. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.abort.abort();
    const all = Promise.allSettled([...this.active.values()]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  private track(id: string, run: Promise<void>): void {
    this.active.set(id, run);
    void run.finally(() => this.active.delete(id));
  }

  private async run(id: string, command: AgentCommand): Promise<void> {
    const signal = this.abort.signal;
    if (signal.aborted) return;
    const log = this.deps.log.child({ commandId: id, kind: command.kind });
    const started = Date.now();
    log.info('command started');
    let result: CommandResult;
    try {
      result = { ok: true, result: await this.deps.execute(id, command, signal) };
      log.info({ ms: Date.now() - started }, 'command finished');
    } catch (err) {
      if (isAbort(err, signal)) {
        log.info('command abandoned: the agent is stopping');
        return;
      }
      result = { ok: false, error: errorMessage(err).slice(0, 4000) || 'command failed' };
      log.warn({ ms: Date.now() - started, err: result.error }, 'command failed');
    }
    this.results.set(id, result);
    if (this.results.size > REMEMBER_RESULTS) {
      const oldest = this.results.keys().next().value;
      if (oldest !== undefined) this.results.delete(oldest);
    }
    await this.post(id, command, result);
  }

  private async post(id: string, command: AgentCommand, result: CommandResult): Promise<void> {
    try {
      await this.deps.report(id, result);
    } catch (err) {
      if (err instanceof FatalAuthError) this.deps.onFatal(err);
      else if (!isAbort(err, this.abort.signal)) {
        // 404/409: the API no longer waits for this command (cancelled or already answered)
        this.deps.log.warn({ commandId: id, kind: command.kind, err: errorMessage(err) }, 'could not post the command result');
      }
    }
  }
}

/** Long-polls for commands until `signal` aborts; rejects with FatalAuthError when the credential is refused. */
export async function pollCommands(
  api: ApiClient,
  scheduler: CommandScheduler,
  signal: AbortSignal,
  log: Logger,
  waitMs = 25_000,
): Promise<void> {
  let restarted = true;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const { commands } = await api.poll({ restarted, waitMs, max: 20 }, signal);
      restarted = false;
      failures = 0;
      if (commands.length > 0) log.debug({ count: commands.length }, 'commands delivered');
      scheduler.deliver(commands);
    } catch (err) {
      if (isAbort(err, signal)) return;
      if (err instanceof FatalAuthError) throw err;
      log.error({ err: errorMessage(err) }, 'poll failed');
      try {
        await sleep(backoffDelay(failures++), signal);
      } catch {
        return;
      }
    }
  }
}
