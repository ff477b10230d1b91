import { POLICY_RULES } from '@wharf/compose';
import { CLUSTER_POLICY_RULES } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';

describe('the policy rules the dashboard offers', () => {
  it('are the rules the compose policy knows, in its order', () => {
    expect([...CLUSTER_POLICY_RULES]).toEqual([...POLICY_RULES]);
  });
});
