import { describe, expect, it } from 'vitest';
import type { EngineService, EngineTask } from '../docker/engine-types.js';
import { evaluateRollout } from './rollout.js';

const template = { ContainerSpec: { Image: '127.0.0.1:5000/a:2' } };
const old = { ContainerSpec: { Image: '127.0.0.1:5000/a:1' } };

function svc(replicas: number, update?: { State: string; Message?: string }): EngineService {
  return {
    ID: 's',
    Version: { Index: 3 },
    Spec: {
      Name: 'x',
      Labels: {},
      TaskTemplate: { ...template, Runtime: 'container' },
      Mode: { Replicated: { Replicas: replicas } },
    },
    ...(update ? { UpdateStatus: update } : {}),
  };
}

let n = 0;
function task(state: string, spec: Record<string, unknown> = template, err?: string, desired = 'running'): EngineTask {
  n++;
  return {
    ID: `t${n}`,
    ServiceID: 's',
    DesiredState: desired,
    Spec: spec,
    Status: { State: state, Timestamp: new Date(1_700_000_000_000 + n * 1000).toISOString(), ...(err ? { Err: err } : {}) },
  };
}

describe('evaluateRollout', () => {
  it('is live when enough tasks of the current spec run (tasks of the old spec do not count)', () => {
    const base = { mode: 'apply' as const, specMatches: true };
    expect(
      evaluateRollout({ ...base, service: svc(2), tasks: [task('running'), task('starting'), task('running', old)] }),
    ).toEqual({
      done: false,
      progress: '1/2 replicas running',
    });
    expect(evaluateRollout({ ...base, service: svc(2), tasks: [task('running'), task('running')] })).toMatchObject({
      done: true,
      outcome: 'live',
    });
    expect(evaluateRollout({ ...base, service: svc(0), tasks: [] })).toMatchObject({ done: true, outcome: 'live' });
  });

  it('gives a new service up after repeated task failures with none running', () => {
    const tasks = [
      task('rejected', template, 'No such image'),
      task('failed', template, 'exit 1'),
      task('rejected', template, 'boom'),
    ];
    expect(evaluateRollout({ mode: 'apply', specMatches: true, service: svc(1), tasks })).toMatchObject({
      done: true,
      outcome: 'failed',
      reason: '3 tasks failed; boom',
    });
  });

  it('follows the update state: updating waits, paused fails, completed needs the replicas', () => {
    const running = [task('running')];
    const at = (State: string) =>
      evaluateRollout({ mode: 'apply', specMatches: true, service: svc(1, { State }), tasks: running });
    expect(at('updating').done).toBe(false);
    expect(at('rollback_started').done).toBe(false);
    expect(at('paused')).toMatchObject({ done: true, outcome: 'failed' });
    expect(at('rollback_paused')).toMatchObject({ done: true, outcome: 'failed' });
    expect(at('completed')).toMatchObject({ done: true, outcome: 'live' });
  });

  it('reports rolled back when Swarm reverted the spec, with its message and the last task error', () => {
    const tasks = [task('running'), task('rejected', old, 'No such image: x')];
    const verdict = evaluateRollout({
      mode: 'apply',
      specMatches: false,
      service: svc(1, { State: 'rollback_completed', Message: 'rollback completed' }),
      tasks,
      rollbackMessage: 'update rolled back due to failure',
    });
    expect(verdict).toMatchObject({
      done: true,
      outcome: 'rolled_back',
      reason: 'update rolled back due to failure; rollback completed; last task error: No such image: x',
    });
    // the same state with the desired spec in place: the desired revision is the one rolled back to
    expect(
      evaluateRollout({ mode: 'apply', specMatches: true, service: svc(1, { State: 'rollback_completed' }), tasks }),
    ).toMatchObject({ done: true, outcome: 'live' });
  });

  it('in rollback mode waits for the rollback to complete', () => {
    const tasks = [task('running')];
    const at = (State: string) => evaluateRollout({ mode: 'rollback', specMatches: false, service: svc(1, { State }), tasks });
    expect(at('rollback_started').done).toBe(false);
    expect(at('rollback_completed')).toMatchObject({ done: true, outcome: 'rolled_back' });
    expect(at('rollback_paused')).toMatchObject({ done: true, outcome: 'failed' });
  });
});
