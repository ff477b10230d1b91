import { execFile, spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

// A real git smart-HTTP server for tests: Node's http server in front of Debian git's `git http-backend` (CGI).
// Repositories are bare repos under a temp dir; `push` commits through a local working clone.

const run = promisify(execFile);
const NAME = /^[A-Za-z0-9._-]+$/;

export interface GitServerOptions {
  /** When set, every request needs `Authorization: Basic base64(<any user>:<token>)`. */
  token?: string;
  /** Serve protocol v2 (default true). v0 without allowReachableSHA1InWant refuses fetching commits by id. */
  protocolV2?: boolean;
  /** Set uploadpack.allowReachableSHA1InWant on new repos (default true). */
  allowShaWant?: boolean;
}

export interface PushOptions {
  branch?: string;
  message?: string;
}

export interface GitServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Directory holding the bare repositories (`<name>.git`). */
  root: string;
  repoUrl(name: string): string;
  createRepo(name: string): Promise<void>;
  /** Commits the files on top of the branch (created if missing) and returns the new commit id. */
  push(name: string, files: Record<string, string> | { dir: string }, opts?: PushOptions): Promise<string>;
  close(): Promise<void>;
}

/** git with no user or system config, so the host's settings never change what a test sees. */
function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Wharf Test',
    GIT_AUTHOR_EMAIL: 'test@wharf.invalid',
    GIT_COMMITTER_NAME: 'Wharf Test',
    GIT_COMMITTER_EMAIL: 'test@wharf.invalid',
    LC_ALL: 'C',
  };
}

function authorised(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  const given = Buffer.from(m?.[1] ?? '', 'base64').toString('utf8');
  const supplied = Buffer.from(given.slice(given.indexOf(':') + 1));
  const expected = Buffer.from(token);
  return given.includes(':') && supplied.length === expected.length && timingSafeEqual(supplied, expected);
}

export async function startGitServer(opts: GitServerOptions = {}): Promise<GitServer> {
  const base = await mkdtemp(join(tmpdir(), 'wharf-git-server-'));
  const root = join(base, 'repos');
  const home = join(base, 'home');
  await mkdir(root);
  await mkdir(home);
  const env = gitEnv(home);
  const git = async (args: string[], cwd = base) => (await run('git', args, { cwd, env })).stdout.trim();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!authorised(req, opts.token)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="wharf-test-git"' }).end('unauthorised\n');
      return;
    }
    const target = new URL(req.url ?? '/', 'http://localhost');
    const cgiEnv: Record<string, string> = {
      ...env,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(target.pathname),
      QUERY_STRING: target.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: opts.token === undefined ? '' : 'test',
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
    };
    const protocol = req.headers['git-protocol'];
    if (typeof protocol === 'string' && opts.protocolV2 !== false) cgiEnv.GIT_PROTOCOL = protocol;
    if (req.headers['content-length']) cgiEnv.CONTENT_LENGTH = req.headers['content-length'];
    if (req.headers['content-encoding']) cgiEnv.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];

    const cgi = spawn('git', ['http-backend'], { env: cgiEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => undefined); // the backend may answer before reading the whole body
    cgi.stderr.resume();
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
      if (end < 0) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i <= 0) continue;
        const [key, value] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
        if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(end));
    });
    cgi.on('close', (code) => {
      if (!headersSent) res.writeHead(code === 0 ? 200 : 500);
      res.end();
    });
    cgi.on('error', () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  const server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const repoPath = (name: string) => {
    if (!NAME.test(name) || name.startsWith('.')) throw new Error(`bad repository name ${JSON.stringify(name)}`);
    return join(root, `${name}.git`);
  };

  return {
    url,
    root,
    repoUrl: (name) => `${url}/${name}.git`,
    async createRepo(name) {
      const path = repoPath(name);
      await git(['init', '-q', '--bare', '-b', 'main', '--', path]);
      if (opts.allowShaWant !== false) await git(['config', 'uploadpack.allowReachableSHA1InWant', 'true'], path);
    },
    async push(name, files, pushOpts = {}) {
      const bare = repoPath(name);
      const branch = pushOpts.branch ?? 'main';
      const work = await mkdtemp(join(base, 'work-'));
      try {
        await git(['init', '-q', '--', work]);
        const heads = await git(['ls-remote', '--heads', '--', bare, `refs/heads/${branch}`]);
        if (heads) {
          await git(['fetch', '-q', '--', bare, `refs/heads/${branch}`], work);
          await git(['checkout', '-q', '--detach', 'FETCH_HEAD', '--'], work);
        }
        if ('dir' in files && typeof files.dir === 'string') {
          await cp(files.dir, work, { recursive: true, filter: (src) => !src.split(sep).includes('.git') });
        } else {
          for (const [path, content] of Object.entries(files as Record<string, string>)) {
            const file = resolve(work, path);
            if (!file.startsWith(work + sep)) throw new Error(`file path ${path} leaves the work tree`);
            await mkdir(dirname(file), { recursive: true });
            await writeFile(file, content);
          }
        }
        await git(['add', '-A'], work);
        await git(['commit', '-q', '--allow-empty', '--no-verify', '-m', pushOpts.message ?? 'test commit'], work);
        await git(['push', '-q', '--', bare, `HEAD:refs/heads/${branch}`], work);
        return await git(['rev-parse', 'HEAD'], work);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await rm(base, { recursive: true, force: true });
    },
  };
}
