import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { readState, writeState } from './state.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wharf-agent-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const state = {
  agentId: '2d7c5d7e-4c8b-4d6f-8a3e-1f2b3c4d5e6f',
  clusterId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  credential: 'wharfa_secret',
};

describe('agent state file', () => {
  it('is absent before the first registration', async () => {
    expect(await readState(path.join(dir, 'none.json'))).toBeUndefined();
  });

  it('is written with mode 0600 by rename, leaving no temporary file', async () => {
    const file = path.join(dir, 'sub', 'state.json');
    await writeState(file, state);
    await writeState(file, { ...state, credential: 'wharfa_rotated' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(['state.json']);
    expect(await readState(file)).toEqual({ ...state, credential: 'wharfa_rotated' });
  });

  it('refuses a file that is not an agent state', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"agentId": 1}');
    await expect(readState(file)).rejects.toThrow(ConfigError);
    writeFileSync(file, 'not json');
    await expect(readState(file)).rejects.toThrow(/not JSON/);
  });
});
