import type { DesiredStack, TestRunResult } from '@wharf/contracts';
import { CommandError, EngineError, errorMessage, isAbort } from '../errors.js';
import type { ExecutorContext } from './context.js';
import { checkImageAccess } from './image-access.js';
import { FrameDemuxer, LineSplitter, parseLogLine } from './log-demux.js';
import { findStackService } from './service-scale.js';
import { isCurrentTask } from './service-state.js';
import { applyStack } from './stack-apply.js';
import { removeStack } from './stack-remove.js';

/*
 * stack.test: the integration stage. The whole stack is deployed into a temporary environment with its test
 * service as a job; the job's exit code and last log lines are the verdict; then every object of the temporary
 * environment is removed, whatever happened (a redelivered command starts from a clean slate the same way).
 */

const LOG_LINES = 200;

export interface TestCommand {
  desired: DesiredStack;
  service: string;
  timeoutMs: number;
}

/** The test service's last log lines (stdout and stderr, in order). */
async function testLogs(ctx: ExecutorContext, command: TestCommand): Promise<string[]> {
  const service = await findStackService(ctx, command.desired.scope, command.service);
  const stream = await ctx.docker.serviceLogs(service.ID, { follow: false, tail: LOG_LINES });
  const demuxer = new FrameDemuxer();
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for await (const chunk of stream) {
    for (const frame of demuxer.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))) {
      for (const line of splitter.push(frame.data)) lines.push(parseLogLine(line).message.slice(0, 4000));
    }
  }
  lines.push(...splitter.flush().map((l) => parseLogLine(l).message.slice(0, 4000)));
  return lines.slice(-LOG_LINES);
}

/** The exit code of the test job's newest finished run, if it has one. */
async function exitCode(ctx: ExecutorContext, command: TestCommand): Promise<number | null> {
  const service = await findStackService(ctx, command.desired.scope, command.service);
  const tasks = (await ctx.docker.tasks({ service: [service.ID] })).filter((t) => isCurrentTask(t, service.Spec));
  const ended = tasks.filter((t) => t.Status.ContainerStatus?.ExitCode !== undefined);
  ended.sort((a, b) => Date.parse(b.Status.Timestamp ?? '') - Date.parse(a.Status.Timestamp ?? ''));
  return ended[0]?.Status.ContainerStatus?.ExitCode ?? null;
}

export async function runTest(ctx: ExecutorContext, command: TestCommand): Promise<TestRunResult> {
  const { desired } = command;
  try {
    // a delivery after a crash finds the last attempt's leftovers: start again from nothing
    await removeStack(ctx, desired.scope, { volumes: true });
    await checkImageAccess(ctx, desired);
    ctx.progress(`test: deploying the stack into ${desired.scope.environment}`);
    const applied = await applyStack(ctx, desired, { wait: true, deadline: Date.now() + command.timeoutMs, restore: false });
    const code = await exitCode(ctx, command).catch(() => null);
    const logs = await testLogs(ctx, command).catch((err: unknown) => [`(logs unavailable: ${errorMessage(err)})`]);
    const passed = applied.result.outcome === 'live' && code === 0;
    const reason = passed
      ? undefined
      : code !== null && code !== 0
        ? `the test service ${command.service} exited with ${code}`
        : (applied.result.reason ?? 'the stack did not come up');
    ctx.progress(passed ? `test: ${command.service} passed` : `test failed: ${reason ?? ''}`);
    return { outcome: passed ? 'passed' : 'failed', exitCode: code, ...(reason ? { reason: reason.slice(0, 4000) } : {}), logs };
  } catch (err) {
    if (isAbort(err, ctx.signal)) throw err;
    if (!(err instanceof CommandError) && !(err instanceof EngineError && err.statusCode === 400)) throw err;
    return { outcome: 'failed', exitCode: null, reason: err.message.slice(0, 4000), logs: [] };
  } finally {
    if (!ctx.signal.aborted) {
      ctx.progress(`test: removing ${desired.scope.environment}`);
      await removeStack(ctx, desired.scope, { volumes: true });
    }
  }
}
