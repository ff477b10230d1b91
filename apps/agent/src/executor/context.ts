import type { LogLine } from '@wharf/contracts';
import type { DockerRepository } from '../docker/repository.js';
import type { Logger } from '../logger.js';

export interface LogBatchBody {
  lines: LogLine[];
  done: boolean;
}

/** What an executor works with: the engine, who it is, and where its progress and output go. */
export interface ExecutorContext {
  docker: DockerRepository;
  /** Wharf's id of this cluster: labels every object, and the agent only ever touches objects with its own. */
  clusterId: string;
  log: Logger;
  /** Aborts when the agent stops: executors give up without a result (the command is handed over again). */
  signal: AbortSignal;
  /** A step of the command, for the deployment log. Never blocks, never throws. */
  progress(message: string): void;
  /** Sends a batch of log lines of a `logs.stream` command; `continue: false` ends the stream. */
  sendLogs(streamId: string, batch: LogBatchBody): Promise<{ continue: boolean }>;
  /** The executor saw the engine's tasks change (e.g. a replica became running): the edge proxy resyncs now. */
  tasksChanged?(): void;
  /** Delay between two looks at the engine while waiting for an outcome (default 250 ms). */
  pollMs?: number;
}

export const DEFAULT_POLL_MS = 250;
