import type { HostState, HostView } from '@wharf/db';
import { describe, expect, it } from 'vitest';
import { registrationToken } from './host-machines.js';
import {
  bootDecision,
  deprovisionStep,
  drained,
  joinPlan,
  leavePlan,
  managerOtherThan,
  promotions,
  provisionStep,
} from './host-steps.js';

let n = 0;
/** A host of cluster `c1`, created `n` seconds after the epoch (the order hosts were requested in). */
function host(over: Partial<HostView> = {}): HostView {
  n += 1;
  return {
    tenantId: 't1' as HostView['tenantId'],
    id: `h${n}`,
    clusterId: 'c1',
    cloudAccountId: null,
    provider: 'local',
    region: 'local',
    zone: null,
    instanceType: 'local.small',
    vcpus: 2,
    memoryMib: 1024,
    name: `host-${n}`,
    state: 'requested',
    clientToken: `token-${n}`,
    machineId: null,
    privateIp: null,
    publicIp: null,
    swarmRole: null,
    swarmNodeId: null,
    agentId: null,
    registrationExpiresAt: null,
    failure: null,
    stateChangedAt: new Date(n * 1000),
    createdAt: new Date(n * 1000),
    readyAt: null,
    terminatedAt: null,
    lastSeenAt: null,
    sshAddress: null,
    sshPort: null,
    sshUser: null,
    sshHostKey: null,
    dockerSocket: null,
    brokerId: null,
    ...over,
  };
}
const manager = (over: Partial<HostView> = {}) =>
  host({
    state: 'ready',
    swarmRole: 'manager',
    swarmNodeId: `node-${n + 1}`,
    agentId: `agent-${n + 1}`,
    privateIp: '10.0.0.1',
    ...over,
  });
const worker = (over: Partial<HostView> = {}) => manager({ swarmRole: 'worker', ...over });

describe('provisionStep: each run continues from the persisted state', () => {
  it.each<[HostState, string]>([
    ['requested', 'create'],
    ['creating', 'create'],
    ['booting', 'await-running'],
    ['bootstrapping', 'await-agent'],
    ['joining', 'join'],
    ['ready', 'done'],
    ['draining', 'stop'],
    ['leaving', 'stop'],
    ['terminating', 'stop'],
    ['terminated', 'stop'],
    ['failed', 'stop'],
  ])('%s → %s', (state, kind) => {
    expect(provisionStep(state).kind).toBe(kind);
  });
});

describe('bootDecision', () => {
  it('goes on once the machine runs, waits while it is pending, fails past the deadline or in another state', () => {
    expect(bootDecision({ state: 'running' }, 10, 100)).toEqual({ kind: 'running' });
    expect(bootDecision({ state: 'pending' }, 10, 100)).toEqual({ kind: 'wait' });
    expect(bootDecision({ state: 'unknown' }, 10, 100)).toEqual({ kind: 'wait' });
    expect(bootDecision({ state: 'pending' }, 100, 100).kind).toBe('fail');
    expect(bootDecision({ state: 'stopped' }, 10, 100)).toEqual({
      kind: 'fail',
      reason: 'the machine is stopped instead of running',
    });
    expect(bootDecision(undefined, 10, 100).kind).toBe('fail');
  });
});

describe('joinPlan', () => {
  it('the first live host of the cluster inits the Swarm', () => {
    const first = host({ state: 'joining', privateIp: '10.0.0.11', agentId: 'a' });
    const later = host({ state: 'booting' });
    expect(joinPlan(first, [first, later])).toEqual({ kind: 'init' });
    // the later one waits for it instead of making a second Swarm
    expect(joinPlan({ ...later, state: 'joining' }, [first, later])).toEqual({ kind: 'wait' });
  });

  it('failed and terminated hosts do not count as first', () => {
    const gone = host({ state: 'failed' });
    const ended = host({ state: 'terminated' });
    const me = host({ state: 'joining' });
    expect(joinPlan(me, [gone, ended, me])).toEqual({ kind: 'init' });
  });

  it('joins through a ready manager, and a host already in the Swarm is done', () => {
    const m = manager();
    const me = host({ state: 'joining' });
    expect(joinPlan(me, [m, me])).toEqual({ kind: 'join', via: m });
    expect(joinPlan({ ...me, swarmNodeId: 'n' }, [m, me])).toEqual({ kind: 'joined' });
  });

  it('a manager that is not ready, or has no agent, is not joined through', () => {
    const draining = manager({ state: 'draining' });
    const noAgent = manager({ agentId: null });
    const me = host({ state: 'joining' });
    expect(joinPlan(me, [draining, noAgent, me])).toEqual({ kind: 'wait' });
  });
});

describe('promotions: 3 managers once there are 3 ready hosts', () => {
  it('none below 3 ready hosts', () => {
    expect(promotions([manager(), worker()])).toEqual([]);
    expect(promotions([manager(), worker(), worker({ state: 'joining' })])).toEqual([]);
  });

  it('the oldest ready workers, as many as are missing', () => {
    const m = manager();
    const w1 = worker();
    const w2 = worker();
    const w3 = worker();
    expect(promotions([w3, m, w2, w1]).map((h) => h.id)).toEqual([w1.id, w2.id]);
    expect(promotions([m, manager(), manager(), w1])).toEqual([]);
  });
});

describe('deprovisionStep', () => {
  it.each<[HostState, string | null, string]>([
    ['requested', null, 'end-now'],
    ['creating', null, 'terminate'],
    ['booting', null, 'terminate'],
    ['bootstrapping', null, 'terminate'],
    ['failed', null, 'terminate'],
    ['joining', null, 'terminate'],
    ['joining', 'n1', 'drain'],
    ['ready', 'n1', 'drain'],
    ['draining', 'n1', 'await-drained'],
    ['leaving', 'n1', 'leave'],
    ['terminating', 'n1', 'delete-machine'],
    ['terminated', null, 'done'],
  ])('%s (node %s) → %s', (state, swarmNodeId, kind) => {
    expect(deprovisionStep({ state, swarmNodeId }).kind).toBe(kind);
  });

  it('a drain is over when nothing runs or stops on the node', () => {
    expect(drained({ runningTasks: 0, stoppingTasks: 0 })).toBe(true);
    expect(drained({ runningTasks: 0, stoppingTasks: 1 })).toBe(false);
    expect(drained({ runningTasks: 2, stoppingTasks: 0 })).toBe(false);
  });
});

describe('leavePlan', () => {
  it('a manager is demoted through another manager, which removes it from the node list', () => {
    const other = manager();
    const me = manager();
    expect(leavePlan(me, [other, me])).toEqual({ demote: true, force: false, via: other });
    const w = worker();
    expect(leavePlan(w, [other, w])).toEqual({ demote: false, force: false, via: other });
  });

  it('the last node leaves with force and nothing removes it', () => {
    const me = manager();
    expect(leavePlan(me, [me, worker({ state: 'terminated' })])).toEqual({ demote: false, force: true, via: undefined });
    expect(managerOtherThan(me, [me])).toBeUndefined();
  });
});

describe('registrationToken', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  it('is the same for a host on every run, different per host and per master key, and looks like a join token', () => {
    const a = registrationToken(key, { id: 'h1', clientToken: 'c1' });
    expect(registrationToken(key, { id: 'h1', clientToken: 'c1' })).toBe(a);
    expect(registrationToken(key, { id: 'h2', clientToken: 'c1' })).not.toBe(a);
    expect(registrationToken(Buffer.alloc(32, 8).toString('base64'), { id: 'h1', clientToken: 'c1' })).not.toBe(a);
    expect(a).toMatch(/^wharfj_[A-Za-z0-9_-]{43}$/);
  });
});

describe('failureReason: what ends provisioning, and what the job retries', () => {
  it('non-retryable provider errors, missed deadlines and refused commands end it; the rest is retried', async () => {
    const { failureReason, HostStepFailed } = await import('./host.processor.js');
    const { HostCommandFailed } = await import('./host-commands.js');
    const { ProviderError } = await import('@wharf/providers');
    expect(failureReason(new ProviderError('invalid', 'unknown instance type'))).toBe('unknown instance type');
    expect(failureReason(new ProviderError('limit', 'vCPU limit reached'))).toBe('vCPU limit reached');
    expect(failureReason(new ProviderError('capacity', 'no capacity'))).toBeUndefined();
    expect(failureReason(new ProviderError('throttled', 'slow down'))).toBeUndefined();
    expect(failureReason(new HostStepFailed('the machine was not running after 600 s'))).toMatch(/not running/);
    expect(failureReason(new HostCommandFailed('swarm.join on h2 failed: timeout'))).toMatch(/swarm.join/);
    expect(failureReason(new Error('connection refused'))).toBeUndefined();
  });
});
