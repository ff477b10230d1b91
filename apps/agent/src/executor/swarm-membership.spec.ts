import { AgentCommand } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import type { EngineTask } from '../docker/engine-types.js';
import { commandLane, SWARM_NODES_LANE } from './index.js';
import { inSwarmOf, splitAddr, trustRootDigest, withSwarmPort } from './swarm-membership.js';
import { countTasks } from './swarm-nodes.js';

/* The pure parts of the swarm commands (the engine side runs for real in swarm.e2e.spec.ts). */

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const tokenFor = (pem: string) => `SWMTKN-1-${trustRootDigest(pem)}-${'a'.repeat(25)}`;

describe('swarm addresses', () => {
  it('adds the Swarm port where there is none', () => {
    expect(withSwarmPort('10.0.0.1')).toBe('10.0.0.1:2377');
    expect(withSwarmPort('10.0.0.1:4000')).toBe('10.0.0.1:4000');
    expect(withSwarmPort('[fd00::1]')).toBe('[fd00::1]:2377');
    expect(withSwarmPort('manager.internal')).toBe('manager.internal:2377');
    expect(splitAddr('[fd00::1]:4000')).toEqual({ host: 'fd00::1', port: 4000 });
  });
});

describe('inSwarmOf', () => {
  it('knows a manager’s Swarm by the root CA digest the join token carries', () => {
    expect(trustRootDigest(PEM)).toMatch(/^[0-9a-z]{50}$/);
    const manager = { LocalNodeState: 'active', Cluster: { TLSInfo: { TrustRoot: PEM } } };
    expect(inSwarmOf(manager, '10.0.0.9:2377', tokenFor(PEM))).toBe(true);
    expect(inSwarmOf(manager, '10.0.0.9:2377', tokenFor(`${PEM}x`))).toBe(false);
  });

  it('knows a worker’s Swarm by the managers it talks to', () => {
    const worker = { LocalNodeState: 'active', RemoteManagers: [{ NodeID: 'm', Addr: '10.0.0.1:2377' }] };
    expect(inSwarmOf(worker, '10.0.0.1', tokenFor(PEM))).toBe(true);
    expect(inSwarmOf(worker, '10.0.0.1:2377', tokenFor(PEM))).toBe(true);
    expect(inSwarmOf(worker, '10.0.0.2:2377', tokenFor(PEM))).toBe(false);
    expect(inSwarmOf({ LocalNodeState: 'active' }, '10.0.0.1:2377', tokenFor(PEM))).toBe(false);
  });
});

describe('countTasks', () => {
  const task = (desired: string, state: string): EngineTask => ({
    ID: `${desired}-${state}`,
    ServiceID: 's',
    DesiredState: desired,
    Spec: {},
    Status: { State: state },
  });
  it('counts running and starting tasks, apart for those told to stop; finished ones not at all', () => {
    const tasks = [
      task('running', 'running'),
      task('running', 'starting'),
      task('running', 'preparing'),
      task('shutdown', 'running'),
      task('shutdown', 'shutdown'),
      task('running', 'failed'),
    ];
    expect(countTasks(tasks)).toEqual({ runningTasks: 2, stoppingTasks: 1 });
    expect(countTasks([])).toEqual({ runningTasks: 0, stoppingTasks: 0 });
  });
});

describe('lanes of the swarm commands', () => {
  const lane = (command: unknown) => commandLane(AgentCommand.parse(command));
  it('runs membership changes alone, node changes one at a time, reads at once', () => {
    const token = tokenFor(PEM);
    expect(lane({ kind: 'swarm.init', advertiseAddr: '10.0.0.1' })).toEqual({ kind: 'cluster' });
    expect(lane({ kind: 'swarm.join', remoteAddr: '10.0.0.1:2377', token, advertiseAddr: '10.0.0.2' })).toEqual({
      kind: 'cluster',
    });
    expect(lane({ kind: 'swarm.leave', force: false })).toEqual({ kind: 'cluster' });
    const nodes = { kind: 'scope', key: SWARM_NODES_LANE };
    expect(lane({ kind: 'node.update', nodeId: 'abc123', availability: 'drain' })).toEqual(nodes);
    expect(lane({ kind: 'node.remove', nodeId: 'abc123', force: false })).toEqual(nodes);
    expect(lane({ kind: 'node.status', nodeId: 'abc123' })).toBeUndefined();
    expect(lane({ kind: 'swarm.join-tokens' })).toBeUndefined();
  });
});
