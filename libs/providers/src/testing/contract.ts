import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateMachineRequest, Machine, MachineProvider } from '../types.js';

/*
 * The contract every adapter passes, run by each adapter's own spec against its harness: aws through
 * aws-sdk-client-mock, aliyun against a local HTTP endpoint, local for real. A new provider is one adapter file
 * plus one spec that calls this.
 */

export interface ContractHarness {
  provider: MachineProvider;
  /** A region the provider serves in this harness. */
  region: string;
  instanceType: string;
  /** How long a new machine may take to run (0: it is running once created). */
  bootMs: number;
  close?(): Promise<void>;
}

const id = () => randomBytes(4).toString('hex');

export function request(over: Partial<CreateMachineRequest> & Pick<CreateMachineRequest, 'region' | 'instanceType'>) {
  const host = id();
  return {
    clientToken: `wharf-${host}-${id()}`,
    tags: { tenant: `t-${id()}`, cluster: `c-${id()}`, host: `h-${host}` },
    name: `wharf-h-${host}`,
    bootstrap: {
      apiUrl: 'https://wharf.example.com',
      registrationToken: `reg_${randomBytes(16).toString('hex')}`,
      agentPackageUrl: 'https://wharf.example.com/agent.tgz',
    },
    ...over,
  } satisfies CreateMachineRequest;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    if (await check()) return true;
  }
  return check();
}

export function describeProviderContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`${name}: the provider contract`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await setup();
    }, 120_000);
    afterAll(async () => {
      await h?.close?.();
    }, 120_000);

    it('verifies its credentials and lists regions, instance types and images', async () => {
      expect((await h.provider.verify()).account).toBeTruthy();
      expect((await h.provider.regions()).map((r) => r.id)).toContain(h.region);
      const types = await h.provider.instanceTypes(h.region);
      expect(types.find((t) => t.id === h.instanceType)).toMatchObject({
        vcpus: expect.any(Number),
        memoryMiB: expect.any(Number),
      });
      expect(Array.isArray(await h.provider.images(h.region))).toBe(true);
    });

    it('creates a machine once per client token, tagged, listed by tenant and cluster, then deletes it', async () => {
      const req = request({ region: h.region, instanceType: h.instanceType });
      const made = await h.provider.create(req);
      expect(made).toMatchObject({ region: h.region, instanceType: h.instanceType, tags: req.tags });
      expect(['pending', 'running']).toContain(made.state);
      // the same token again (a retry after a lost answer): the same machine, no second one
      const again = await h.provider.create(req);
      expect(again.id).toBe(made.id);

      const listed = await h.provider.list(h.region, { tenant: req.tags.tenant });
      expect(listed.map((m: Machine) => m.id)).toEqual([made.id]);
      expect((await h.provider.list(h.region, { cluster: req.tags.cluster })).map((m) => m.id)).toEqual([made.id]);
      expect((await h.provider.list(h.region, { tenant: `t-${id()}` })).map((m) => m.id)).toEqual([]);
      expect((await h.provider.list(h.region)).map((m) => m.id)).toContain(made.id);

      expect(await until(async () => (await h.provider.observe(h.region, made.id))?.state === 'running', h.bootMs)).toBe(true);

      await h.provider.delete(h.region, made.id);
      const gone = async () => {
        const m = await h.provider.observe(h.region, made.id);
        return m === undefined || m.state === 'terminated';
      };
      expect(await until(gone, h.bootMs + 5_000)).toBe(true);
      await h.provider.delete(h.region, made.id); // already gone: not an error
      const after = await h.provider.list(h.region, { tenant: req.tags.tenant });
      expect(after.filter((m) => m.state !== 'terminated')).toEqual([]);
    }, 180_000);

    it('answers undefined for a machine it does not know', async () => {
      expect(await h.provider.observe(h.region, `unknown-${id()}`)).toBeUndefined();
    });
  });
}
