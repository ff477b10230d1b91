import { type DesiredStack, TestRunResult } from '@wharf/contracts';
import type { TenantId, TestResult } from '@wharf/db';
import { StackSpec } from '@wharf/engine';
import type { Commands } from '../commands.js';

/*
 * The integration stage of a deployment: its stack with the test service, in a temporary environment of the same
 * app (`wharf-test-<deployment>`), run once by the cluster's agent (`stack.test`), which removes it afterwards.
 */

/** The temporary environment a deployment's test runs in (`wharf-` names are reserved: see EnvironmentName). */
export function testEnvironmentName(deploymentId: string): string {
  return `wharf-test-${deploymentId.slice(0, 8)}`;
}

/** The stack of the integration stage: the deployment's test spec, in its temporary environment, never routed. */
export function testStack(desired: DesiredStack, testSpec: unknown): DesiredStack {
  return {
    ...desired,
    scope: { ...desired.scope, environment: testEnvironmentName(desired.deploymentId) },
    stack: StackSpec.parse(testSpec),
    routes: {},
  };
}

/** The test service: the one job of the test spec that the deploy spec does not have. */
export function testServiceOf(deploy: DesiredStack['stack'], test: DesiredStack['stack']): string | undefined {
  const running = new Set(deploy.services.map((s) => s.name));
  return test.services.find((s) => s.mode === 'job' && !running.has(s.name))?.name;
}

export interface StageOutcome {
  result: TestResult;
  logs: string[];
}

/** Runs (or, after a crash, keeps waiting for) the stage; resolves with its verdict. */
export async function runTestStage(
  commands: Commands,
  parts: { clusterId: string; tenantId: TenantId; desired: DesiredStack; testSpec: unknown; timeoutMs: number },
  cancelled: () => Promise<true | undefined>,
): Promise<StageOutcome> {
  const stack = testStack(parts.desired, parts.testSpec);
  const service = testServiceOf(parts.desired.stack, stack.stack);
  if (!service) return { result: { passed: false, exitCode: null, reason: 'the stack has no test service' }, logs: [] };
  const command = await commands.send(parts.clusterId, parts.tenantId, `test-${parts.desired.deploymentId}`, {
    kind: 'stack.test',
    desired: stack,
    service,
    timeoutMs: parts.timeoutMs,
  });
  const outcome = await commands.wait(command.id, Date.now() + parts.timeoutMs + 60_000, cancelled);
  if ('timedOut' in outcome)
    return { result: { passed: false, exitCode: null, reason: 'the test did not finish in time' }, logs: [] };
  if ('interrupted' in outcome) return { result: { passed: false, exitCode: null, reason: 'cancelled' }, logs: [] };
  const row = outcome.done;
  if (row.state !== 'succeeded') {
    return { result: { passed: false, exitCode: null, reason: row.error ?? `the test command ${row.state}` }, logs: [] };
  }
  const parsed = TestRunResult.safeParse(row.result);
  if (!parsed.success)
    return { result: { passed: false, exitCode: null, reason: 'the agent sent an unreadable result' }, logs: [] };
  const r = parsed.data;
  return { result: { passed: r.outcome === 'passed', exitCode: r.exitCode, reason: r.reason ?? null }, logs: r.logs };
}
