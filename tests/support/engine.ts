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
