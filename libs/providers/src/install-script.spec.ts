import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createSocketServer, type Server as SocketServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InstallBootstrap, renderInstallScript } from './install-script.js';

/*
 * The brought host's install script, run for real by sh in a directory of the test's (WHARF_PREFIX) against a
 * stand-in engine socket and a stand-in agent served over HTTP: Docker present is left alone, the agent file is
 * checked against its SHA-256, the env file carries Wharf's values, the agent starts in the background.
 */

/** The agent stand-in: writes the environment it was started with, then exits. */
const FAKE_AGENT = `import { writeFileSync } from 'node:fs';
writeFileSync(process.env.WHARF_AGENT_STATE + '.env.json', JSON.stringify(process.env));
`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let dir: string;
let http: Server;
let engine: SocketServer;
let agentUrl: string;
const sock = () => path.join(dir, 'docker.sock');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wharf-install-'));
  http = createServer((req, res) => {
    if (req.url === '/api/v1/agent/wharf-agent.mjs') res.end(FAKE_AGENT);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const address = http.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  agentUrl = `http://127.0.0.1:${address.port}/api/v1/agent/wharf-agent.mjs`;
  engine = createSocketServer((c) => c.end());
  await new Promise<void>((r) => engine.listen(sock(), r));
});

afterAll(async () => {
  await new Promise((r) => http?.close(r));
  await new Promise((r) => engine?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const bootstrap = (over: Partial<InstallBootstrap> = {}): InstallBootstrap => ({
  apiUrl: 'http://127.0.0.1:4000',
  registrationToken: 'wharfj_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  agentPackageUrl: agentUrl,
  agentSha256: sha256(FAKE_AGENT),
  ...over,
});

/** Runs the script as `curl … | sh` does (from stdin); async, since this process serves what it downloads. */
function run(script: string, prefix: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn('sh', [], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      WHARF_PREFIX: prefix,
      DOCKER_SOCK: sock(),
      WHARF_ADVERTISE_ADDR: '10.213.0.77',
      // no Caddy started on this machine: the edge is tested inside a machine (tests/workloads/byo-host.e2e.spec.ts)
      WHARF_NO_EDGE: '1',
    },
    timeout: 30_000,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end(script);
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stderr })));
}

async function until<T>(probe: () => T | undefined, ms: number): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const value = probe();
    if (value !== undefined) return value;
  }
  throw new Error('timed out');
}

describe('renderInstallScript', () => {
  it('is valid POSIX sh holding only the values given', () => {
    const script = renderInstallScript(bootstrap());
    expect(() => execFileSync('sh', ['-n'], { input: script })).not.toThrow();
    expect(script).toContain(`AGENT_SHA256='${sha256(FAKE_AGENT)}'`);
    expect(script.trimEnd().endsWith('main "$@"')).toBe(true);
  });

  it('refuses values that could break out of the script', () => {
    const hostile: Partial<InstallBootstrap>[] = [
      { apiUrl: "http://x/'; rm -rf / #" },
      { apiUrl: 'http://x/$(id)' },
      { apiUrl: 'file:///etc/passwd' },
      { agentPackageUrl: 'http://x/`id`' },
      { registrationToken: "wharfj_x'$(id)" },
      { registrationToken: 'short' },
      { agentSha256: 'ABC' },
      { agentSha256: `${'0'.repeat(64)}\n` },
    ];
    for (const h of hostile) expect(() => renderInstallScript(bootstrap(h)), JSON.stringify(h)).toThrow();
  });

  it('installs a checked agent under WHARF_PREFIX and starts it with the env file, leaving Docker alone', async () => {
    const prefix = path.join(dir, 'ok');
    const res = await run(renderInstallScript(bootstrap()), prefix);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toContain('Docker engine found');
    const envFile = path.join(prefix, 'etc/wharf-agent.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(prefix, 'opt/wharf-agent/wharf-agent.mjs'), 'utf8')).toBe(FAKE_AGENT);
    const started = await until(() => {
      const file = path.join(prefix, 'var/lib/wharf-agent/state.json.env.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
    }, 10_000);
    expect(started).toMatchObject({
      WHARF_API_URL: 'http://127.0.0.1:4000',
      WHARF_JOIN_TOKEN: bootstrap().registrationToken,
      WHARF_AGENT_STATE: path.join(prefix, 'var/lib/wharf-agent/state.json'),
      WHARF_AGENT_HOST: '1',
      WHARF_AGENT_ADDR: '10.213.0.77',
      DOCKER_SOCK: sock(),
      CADDY_ADMIN_URL: 'off',
    });
  });

  it('refuses an agent file that does not match its SHA-256, and installs nothing', async () => {
    const prefix = path.join(dir, 'tampered');
    const res = await run(renderInstallScript(bootstrap({ agentSha256: sha256('something else') })), prefix);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('does not match its SHA-256');
    expect(existsSync(path.join(prefix, 'opt/wharf-agent/wharf-agent.mjs'))).toBe(false);
    expect(existsSync(path.join(prefix, 'etc/wharf-agent.env'))).toBe(false);
  });
});
