import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';

/** The local engine (Swarm mode) and registry that scripts/test.sh starts (infra/local/services.sh). */
export const REGISTRY = process.env.REGISTRY_ADDR ?? '127.0.0.1:5000';

export function engine(): Docker {
  return new Docker({ socketPath: process.env.DOCKER_SOCK ?? '/var/run/docker.sock' });
}

/** Follows a build or push stream to its end; rejects on the first error the engine reports in it. */
export function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = events?.find((e) => e.error);
      if (err || failed) reject(err ?? new Error(failed?.error));
      else resolve();
    });
  });
}

/**
 * A tiny HTTP image (~1 MB: Debian's static busybox serving `/www` with httpd on :8080), built through the Engine API
 * with no base image to pull, and pushed to the local registry. `version` is what `GET /` answers, so tests can tell
 * revisions apart. Returns the full image reference.
 */
export async function ensureHttpImage(tag = 'v1', version = tag): Promise<string> {
  const ref = `${REGISTRY}/wharf-test/httpd:${tag}`;
  const docker = engine();
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-img-'));
  try {
    copyFileSync('/usr/bin/busybox', path.join(dir, 'busybox'));
    writeFileSync(path.join(dir, 'index.html'), `${version}\n`);
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY busybox /bin/busybox',
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
        'COPY index.html /www/index.html',
        'EXPOSE 8080',
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      ].join('\n'),
    );
    const build = await docker.buildImage(
      { context: dir, src: ['Dockerfile', 'busybox', 'index.html'] },
      { t: ref, networkmode: 'none', version: '1' },
    );
    await follow(docker, build);
    // the engine wants an X-Registry-Auth header even for an anonymous registry
    await follow(docker, await docker.getImage(ref).push({ authconfig: { serveraddress: REGISTRY } }));
    return ref;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PrivateRegistry {
  /** `127.0.0.1:<port>` */
  addr: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * A second Docker Distribution registry that requires a login (htpasswd, bcrypt made by python3's crypt), on a
 * free loopback port; the engine talks plain HTTP to 127.0.0.0/8 registries.
 */
export async function startPrivateRegistry(): Promise<PrivateRegistry> {
  const { execFileSync, spawn } = await import('node:child_process');
  const { freePort } = await import('./stack.js');
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const username = 'robot';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-registry-'));
  const hash = execFileSync('python3', [
    '-c',
    'import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))',
    password,
  ])
    .toString()
    .trim();
  writeFileSync(path.join(dir, 'htpasswd'), `${username}:${hash}\n`);
  writeFileSync(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${dir}/data } }`,
      `http: { addr: ${addr} }`,
      `auth: { htpasswd: { realm: wharf-test, path: ${dir}/htpasswd } }`,
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
  // running = /v2/ asks for a login
  for (let i = 0; ; i++) {
    const res = await fetch(`http://${addr}/v2/`).catch(() => undefined);
    if (res?.status === 401) break;
    if (i === 100) throw new Error(`private registry at ${addr} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    addr,
    username,
    password,
    async stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Copies an image to another registry (tag + push with a login). Returns the new reference. */
export async function pushTo(image: string, registry: PrivateRegistry, repository: string): Promise<string> {
  const docker = engine();
  const ref = `${registry.addr}/${repository}`;
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
  await docker.getImage(image).tag({ repo, tag });
  const auth = { serveraddress: registry.addr, username: registry.username, password: registry.password };
  await follow(docker, await docker.getImage(ref).push({ authconfig: auth }));
  return ref;
}
