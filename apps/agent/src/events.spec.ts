import { describe, expect, it } from 'vitest';
import { containerEvent, nodeEvent, serviceEvent } from './events.js';

const CLUSTER = 'c0ffee00-0000-4000-8000-000000000001';
const scope = { tenantId: '0b6a1f3e-8f7c-4d59-9d0e-3c1b2a4d5e6f', app: 'shop', environment: 'prod' };
const attrs = {
  'wharf.managed-by': 'wharf',
  'wharf.cluster': CLUSTER,
  'wharf.tenant': scope.tenantId,
  'wharf.app': 'shop',
  'wharf.environment': 'prod',
  'wharf.service': 'web',
  'com.docker.swarm.service.name': 'x--shop--prod--web',
  'com.docker.swarm.task.name': 'x--shop--prod--web.2.k3j4h5',
};

describe('engine events', () => {
  it('describes a container of this cluster by its replica', () => {
    const event = containerEvent(
      { Type: 'container', Action: 'die', Actor: { ID: 'c1', Attributes: { ...attrs, exitCode: '137' } }, timeNano: 1.7e18 },
      CLUSTER,
    );
    expect(event).toEqual({
      at: 1.7e12,
      type: 'container',
      action: 'die',
      scope,
      service: 'web',
      message: 'task web.2 died (exit 137)',
    });
  });

  it('ignores containers of other clusters and uninteresting actions', () => {
    const foreign = { ...attrs, 'wharf.cluster': 'another' };
    expect(containerEvent({ Type: 'container', Action: 'die', Actor: { Attributes: foreign } }, CLUSTER)).toBeUndefined();
    expect(containerEvent({ Type: 'container', Action: 'attach', Actor: { Attributes: attrs } }, CLUSTER)).toBeUndefined();
  });

  it('describes service and node changes', () => {
    const update = serviceEvent(
      { Type: 'service', Action: 'update', Actor: { Attributes: { name: 'x', 'updatestate.new': 'rollback_started' } }, time: 5 },
      { scope, service: 'web', name: 'x' },
    );
    expect(update).toMatchObject({
      at: 5000,
      type: 'service',
      service: 'web',
      message: 'service web updated (update rollback started)',
    });
    const node = nodeEvent({
      Type: 'node',
      Action: 'update',
      Actor: { ID: 'n1', Attributes: { name: 'host-1', 'state.new': 'down', 'state.old': 'ready' } },
      time: 5,
    });
    expect(node.message).toBe('node host-1 update (state ready → down)');
  });
});
