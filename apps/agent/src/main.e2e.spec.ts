import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentApi, eventually, startAgentApi } from '../../../tests/support/agents.js';

/* main.js as a process against the real API: bad configuration (exit 2), SIGTERM (exit 0), revoked credential (exit 3). */

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'wharf-agent-main-'));
const statePath = path.join(dir, 'state.json');
let api: AgentApi;

beforeAll(async () => {
  api = await startAgentApi();
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>, onStart?: (pid: number) => void) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
    if (child.pid) onStart?.(child.pid);
  });
}
const env = () => ({
  WHARF_API_URL: api.t.url,
  WHARF_AGENT_STATE: statePath,
  WHARF_AGENT_NAME: 'main-agent',
  CADDY_ADMIN_URL: 'off',
  DOCKER_SOCK: process.env.DOCKER_SOCK ?? '/var/run/docker.sock',
});
const agentRow = async () =>
  (
    await api.t.owner.query<{ id: string; last_seen_at: Date | null }>(
      `select id, last_seen_at from agents where cluster_id = $1 and name = 'main-agent'`,
      [api.cluster.id],
    )
  ).rows[0];

describe('main.js as a process', () => {
  it('is built (scripts/test.sh builds every project first)', () => {
    expect(existsSync(main)).toBe(true);
  });

  it('exits 2 with a clear message on bad configuration', async () => {
    const { code, stderr } = await run({ WHARF_API_URL: 'nowhere' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/WHARF_API_URL/);
  });

  it('registers with its join token, runs until SIGTERM and then stops gracefully', async () => {
    const joinToken = await api.joinToken();
    const { code } = await run({ ...env(), WHARF_JOIN_TOKEN: joinToken }, (pid) => {
      // its heartbeat reached the API: it is up and running its loops
      void eventually(async () => (await agentRow())?.last_seen_at != null, 30_000).then(
        () => process.kill(pid, 'SIGTERM'),
        () => process.kill(pid, 'SIGKILL'),
      );
    });
    expect(code).toBe(0);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toMatchObject({
      clusterId: api.cluster.id,
      agentId: (await agentRow())?.id,
    });
  });

  it('exits 3 once an admin has revoked its credential', async () => {
    const agent = await agentRow();
    if (!agent) throw new Error('no agent registered by the previous test');
    await api.revoke(agent.id);
    const { code, stderr } = await run(env());
    expect(code).toBe(3);
    expect(stderr).toMatch(/revoked/);
  });
});
