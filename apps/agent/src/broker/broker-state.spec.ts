import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseSshPublicKey } from '@wharf/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BrokerHost, BrokerStore } from './broker-state.js';

const HOST: BrokerHost = {
  hostId: '0b6f7a52-3c1d-4e8f-9a0b-1c2d3e4f5a6b',
  address: '10.213.0.11',
  port: 22,
  user: 'root',
  hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILB4nOAfnUKIFiqGUtrvGF86bAj7aWyreG1hb0OC+Car',
  dockerSocket: '/var/run/docker.sock',
  registrationToken: 'wharfj_abc',
};

describe('BrokerStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wharf-broker-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates the SSH key pair once, private key mode 0600', async () => {
    const store = new BrokerStore(dir);
    const first = await store.keys();
    expect(parseSshPublicKey(first.publicKey)?.type).toBe('ssh-ed25519');
    expect(first.publicKey).toMatch(/ wharf-broker$/);
    expect(first.privateKey).toContain('PRIVATE KEY');
    expect((await stat(path.join(dir, 'broker_ed25519'))).mode & 0o777).toBe(0o600);
    expect(await new BrokerStore(dir).keys()).toEqual(first);
  });

  it('keeps attached hosts across restarts and forgets them with their agent state', async () => {
    const store = new BrokerStore(dir);
    await store.saveHost(HOST);
    await writeFile(store.agentStatePath(HOST.hostId), '{}');
    // a file that is not a host is reported, the others still load
    await writeFile(path.join(dir, 'hosts', '11111111-2222-4333-8444-555555555555.json'), 'not json');
    const bad: string[] = [];
    expect(await new BrokerStore(dir).hosts((file) => bad.push(file))).toEqual([HOST]);
    expect(bad).toEqual(['11111111-2222-4333-8444-555555555555.json']);
    expect(await store.forgetHost(HOST.hostId)).toBe(true);
    expect(await store.forgetHost(HOST.hostId)).toBe(false);
    expect((await readdir(path.join(dir, 'hosts'))).sort()).toEqual(['11111111-2222-4333-8444-555555555555.json']);
  });

  it('refuses a host id that is not a uuid (it names a file)', () => {
    expect(() => new BrokerStore(dir).agentStatePath('../../etc/passwd')).toThrow();
  });
});
