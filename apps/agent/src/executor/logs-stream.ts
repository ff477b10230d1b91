import type { LogLine, StackScope } from '@wharf/contracts';
import { AbortedError, errorMessage, isAbort } from '../errors.js';
import type { ExecutorContext } from './context.js';
import { FrameDemuxer, LineSplitter, parseLogLine, type StreamName } from './log-demux.js';
import { findStackService } from './service-scale.js';

/*
 * logs.stream: a service's log lines (all its tasks, stdout and stderr) to `POST /logs/{streamId}`, in batches sent
 * at most every 250 ms or 500 lines, until the API answers `continue: false` or the engine ends the stream (then a
 * last batch with `done: true`). A quiet followed stream sends an empty batch every 5 s to learn whether to go on.
 */

export interface LogsCommand {
  streamId: string;
  scope: StackScope;
  service: string;
  follow: boolean;
  sinceMs?: number;
  tail: number;
}

export interface LogsResult {
  lines: number;
  /** Why the stream ended. */
  ended: 'stream-ended' | 'api-stopped';
}

const BATCH_LINES = 500;
const BATCH_MS = 250;
const KEEPALIVE_MS = 5000;
const TASK_ID = 'com.docker.swarm.task.id';

export async function streamLogs(ctx: ExecutorContext, command: LogsCommand): Promise<LogsResult> {
  const service = await findStackService(ctx, command.scope, command.service);
  const slots = new Map<string, string>();
  let slotsReadAt = 0;
  const refreshSlots = async () => {
    slotsReadAt = Date.now();
    for (const t of await ctx.docker.tasks({ service: [service.ID] })) {
      slots.set(t.ID, t.Slot !== undefined ? `${command.service}.${t.Slot}` : t.ID);
    }
  };
  await refreshSlots();
  const sourceOf = async (taskId: string | undefined): Promise<string> => {
    if (taskId === undefined) return command.service;
    if (!slots.has(taskId) && Date.now() - slotsReadAt > 1000) await refreshSlots();
    return (slots.get(taskId) ?? taskId).slice(0, 100);
  };

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let pending: LogLine[] = [];
  let total = 0;
  let apiStopped = false;
  let sendError: unknown;
  let sending: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  let lastSent = Date.now();
  /** `force`: send even without lines (a followed stream that is quiet still learns when the viewer left). */
  const flush = (done: boolean, force = false): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const lines = pending;
    pending = [];
    sending = sending.then(async () => {
      if (apiStopped || sendError !== undefined || (lines.length === 0 && !done && !force)) return;
      lastSent = Date.now();
      try {
        const answer = await ctx.sendLogs(command.streamId, { lines, done });
        total += lines.length;
        if (!answer.continue) {
          apiStopped = true;
          stop.abort();
        }
      } catch (err) {
        sendError = err;
        stop.abort();
      }
    });
    return sending;
  };

  const keepalive = setInterval(() => {
    if (Date.now() - lastSent >= KEEPALIVE_MS) void flush(false, true);
  }, KEEPALIVE_MS);
  const demuxer = new FrameDemuxer();
  const splitters: Record<StreamName, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  const take = async (stream: StreamName, text: string) => {
    const parsed = parseLogLine(text);
    pending.push({
      at: parsed.at ?? Date.now(),
      source: await sourceOf(parsed.details[TASK_ID]),
      stream,
      line: parsed.message.slice(0, 16_384),
    });
  };

  try {
    const since = command.sinceMs !== undefined ? Math.floor(command.sinceMs / 1000) : undefined;
    try {
      const stream = await ctx.docker.serviceLogs(service.ID, {
        follow: command.follow,
        tail: command.tail,
        ...(since !== undefined ? { since } : {}),
        signal: stop.signal,
      });
      stop.signal.addEventListener('abort', () => stream.destroy(), { once: true });
      for await (const chunk of stream) {
        for (const frame of demuxer.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))) {
          for (const line of splitters[frame.stream].push(frame.data)) await take(frame.stream, line);
        }
        if (pending.length >= BATCH_LINES) await flush(false);
        else if (pending.length > 0 && !timer) timer = setTimeout(() => void flush(false), BATCH_MS);
      }
    } catch (err) {
      // a stop aborts the engine's answer, or destroys the stream and so ends the loop with an error (a keepalive can
      // learn that the reader left before the engine has answered); anything else is a real failure
      if (!stop.signal.aborted) throw err;
    }
    if (ctx.signal.aborted) throw new AbortedError();
    if (sendError !== undefined) throw sendError;
    if (apiStopped) return { lines: total, ended: 'api-stopped' };
    for (const name of ['stdout', 'stderr'] as const) {
      for (const line of splitters[name].flush()) await take(name, line);
    }
    await flush(true);
    if (sendError !== undefined) throw sendError;
    // the engine ended the stream: the API's `continue: false` to this last (`done`) batch does not make it a stop
    return { lines: total, ended: 'stream-ended' };
  } catch (err) {
    if (isAbort(err, ctx.signal)) throw new AbortedError();
    ctx.log.warn({ streamId: command.streamId, err: errorMessage(err) }, 'log stream failed');
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
    clearInterval(keepalive);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
