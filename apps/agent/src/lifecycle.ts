import { AgentError, errorMessage, FatalAuthError } from './errors.js';
import type { Logger } from './logger.js';

/*
 * How an agent process part (the agent, a broker) runs its loops: each loop is guarded (a crash, or the API refusing
 * the credential, stops everything and rejects `done`), and one stop ends them all, once.
 */

export interface Lifecycle {
  /** Aborts when the part stops: every loop and request hangs off it. */
  signal: AbortSignal;
  /** Settles when the part stopped: resolves after `finish()`, rejects with the error that stopped it. */
  done: Promise<void>;
  /** Runs a loop under guard (and waits for it when stopping). */
  run(name: string, loop: Promise<void>): void;
  /** Stops everything once: aborts, runs `onStop`, waits for the loops. */
  stop(): Promise<void>;
  /** A stop that was asked for: `done` resolves. */
  finish(): void;
  /** A failure no loop can mend (a refused credential): stops everything, `done` rejects with it. */
  fail(err: Error): Promise<void>;
}

export function lifecycle(log: Logger, onStop: () => Promise<void>): Lifecycle {
  const root = new AbortController();
  let fatal: ((err: Error) => void) | undefined;
  let finished: (() => void) | undefined;
  const done = new Promise<void>((resolve, reject) => {
    finished = resolve;
    fatal = reject;
  });
  // `done` is for the caller; this handler only keeps an unobserved rejection from crashing the process
  done.catch(() => undefined);

  let stopping: Promise<void> | undefined;
  const loops: Promise<void>[] = [];
  const stop = () => {
    stopping ??= (async () => {
      root.abort();
      await onStop();
      await Promise.allSettled(loops);
    })();
    return stopping;
  };
  const fail = async (err: Error) => {
    const why = err instanceof FatalAuthError ? 'the API refused the agent' : 'an agent loop crashed';
    log.fatal({ err: errorMessage(err) }, `stopping: ${why}`);
    await stop();
    fatal?.(err);
  };
  return {
    signal: root.signal,
    done,
    // `loops` holds the loops themselves (stop waits for them); the failure handler hangs off each one
    run(name, loop) {
      loops.push(loop);
      void loop.catch((err: unknown) => {
        if (err instanceof FatalAuthError) return fail(err);
        log.error({ loop: name, err: errorMessage(err) }, 'agent loop crashed');
        return fail(err instanceof AgentError ? err : new AgentError(`${name} loop crashed: ${errorMessage(err)}`));
      });
    },
    stop,
    finish: () => finished?.(),
    fail,
  };
}
