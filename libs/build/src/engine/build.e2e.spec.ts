import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, ensureHttpImage, REGISTRY } from '../../../../tests/support/engine.js';
import { type BuildOptions, buildImage } from './build.js';
import { readContext } from './context.js';
import { BuildError } from './errors.js';
import { pushImage } from './push.js';

const docker = engine();
const run = `${process.env.WHARF_TEST_RUN ?? 'local'}-${Date.now().toString(36)}`;
const repo = `${REGISTRY}/wharf-test/build-${run}`;
const dirs: string[] = [];
const tags = new Set<string>();
let base: string;

function contextDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-build-e2e-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Builds `dockerfile` (lines) in a fresh context; returns the result and every log line. */
async function build(dockerfile: string[], opts: Partial<BuildOptions> & { dir?: string } = {}) {
  const dir = opts.dir ?? contextDir({ Dockerfile: dockerfile.join('\n') });
  const lines: string[] = [];
  const tag = opts.tags?.[0] ?? `${repo}:${tags.size + 1}`;
  tags.add(tag);
  const signal = opts.signal ?? AbortSignal.timeout(50_000);
  const result = buildImage(docker, {
    tags: [tag],
    buildArgs: {},
    secrets: [],
    cacheFrom: [],
    limits: { cpuMillis: 0, memoryMiB: 0 },
    builder: 'buildkit',
    network: 'none',
    ...opts,
    labels: { 'org.wharf.test-run': run, ...opts.labels },
    context: await readContext({ dir, maxBytes: 10_000_000 }),
    signal,
    onLog: (line) => lines.push(line),
  });
  return { result: await result.catch((e: unknown) => e), lines, tag, dir };
}

/** Processes on this host whose command line is exactly `argv`. */
function processes(argv: string[]): number {
  const want = `${argv.join('\0')}\0`;
  return readdirSync('/proc').filter((p) => {
    if (!/^\d+$/.test(p)) return false;
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'latin1') === want;
    } catch {
      return false; // the process ended while we looked
    }
  }).length;
}

/** `docker builder prune -af` (dockerode's pruneBuilder sends no query). */
function pruneBuildCache(): Promise<void> {
  return new Promise((resolve, reject) =>
    docker.modem.dial(
      { path: '/build/prune?', method: 'POST', options: { all: true }, statusCodes: { 200: true, 500: 'server error' } },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

async function until(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    if (await check()) return true;
  }
  return check();
}

beforeAll(async () => {
  base = await ensureHttpImage('v1');
});

afterAll(async () => {
  for (const tag of tags)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('buildImage with BuildKit', () => {
  const multiStage = () => [
    `FROM ${base} AS deps`,
    'ARG GREETING',
    'RUN echo "deps says $GREETING" > /greeting && cat /greeting',
    `FROM ${base} AS final`,
    'COPY --from=deps /greeting /greeting',
    'RUN cat /greeting',
    'FROM final AS debug',
    'RUN echo never-built',
  ];

  it('builds a multi-stage target with build args and labels, with --progress=plain lines', async () => {
    const { result, lines, tag } = await build(multiStage(), {
      target: 'final',
      buildArgs: { GREETING: 'hello' },
      labels: { 'org.wharf.app': 'demo' },
    });
    expect(result).toMatchObject({ builder: 'buildkit', imageId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ \[deps 2\/2\] RUN echo "deps says hello" > \/greeting/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ \d+\.\d{3} deps says hello$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ \[final 3\/3\] RUN cat \/greeting$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ DONE \d+\.\d+s$/));
    expect(lines.join('\n')).not.toContain('never-built');
    const info = await docker.getImage(tag).inspect();
    expect(info.Config.Labels).toMatchObject({ 'org.wharf.app': 'demo', 'org.wharf.test-run': run });

    const again = await build(multiStage(), {
      target: 'final',
      buildArgs: { GREETING: 'hello' },
      labels: { 'org.wharf.app': 'demo' },
    });
    expect(again.result).toMatchObject({ imageId: (result as { imageId: string }).imageId });
    const cached = again.lines.filter((l) => /^#\d+ CACHED$/.test(l));
    expect(cached.length).toBeGreaterThanOrEqual(3);
  });

  it('reuses layers of a pushed image through cacheFrom after the local cache is gone', async () => {
    const dockerfile = [`FROM ${base}`, `RUN echo built-at-${Date.now()} > /stamp && sleep 1`];
    const first = await build(dockerfile, { tags: [`${repo}:cache-src`] });
    expect(first.result).toMatchObject({ builder: 'buildkit' });
    await pushImage(docker, first.tag, { signal: AbortSignal.timeout(30_000), onLog: () => {} });
    await docker.getImage(first.tag).remove({ force: true });
    await pruneBuildCache();
    // the control: without cacheFrom the step runs again
    const control = await build(dockerfile);
    expect(control.lines).not.toContainEqual(expect.stringMatching(/^#\d+ CACHED$/));
    await docker.getImage(control.tag).remove({ force: true });
    await pruneBuildCache();

    const second = await build(dockerfile, { cacheFrom: [first.tag] });
    expect(second.result).toMatchObject({ builder: 'buildkit' });
    const run = second.lines.findIndex((l) => /^#\d+ \[2\/2\] RUN echo built-at/.test(l));
    expect(run).toBeGreaterThanOrEqual(0);
    const index = second.lines[run]?.split(' ')[0];
    expect(second.lines).toContain(`${index} CACHED`);
  });

  it('with the legacy builder, pulls the cacheFrom images and reuses their layers', async () => {
    const dockerfile = [`FROM ${base}`, `RUN echo legacy-${Date.now()} > /stamp`];
    const first = await build(dockerfile, { builder: 'legacy', tags: [`${repo}:legacy-cache-src`] });
    expect(first.result).toMatchObject({ builder: 'legacy' });
    await pushImage(docker, first.tag, { signal: AbortSignal.timeout(30_000), onLog: () => {} });
    await docker.getImage(first.tag).remove({ force: true });
    // the control: without cacheFrom the step runs again
    const control = await build(dockerfile, { builder: 'legacy' });
    expect(control.lines.join('\n')).not.toContain('Using cache');
    await docker.getImage(control.tag).remove({ force: true });

    const second = await build(dockerfile, { builder: 'legacy', cacheFrom: [first.tag] });
    expect(second.result).toMatchObject({ builder: 'legacy' });
    expect(second.lines).toContain(`using ${first.tag} as a cache source`);
    expect(second.lines).toContainEqual(expect.stringMatching(/Using cache/));
  });

  it('masks secrets in logs and errors', async () => {
    const secret = 's3cr3t-token-value';
    const ok = await build([`FROM ${base}`, 'ARG TOKEN', 'RUN echo "token=$TOKEN" && echo -n "$TOKEN" | base64'], {
      buildArgs: { TOKEN: secret },
      secrets: [secret],
    });
    expect(ok.result).toMatchObject({ builder: 'buildkit' });
    expect(ok.lines).toContainEqual(expect.stringMatching(/^#\d+ \d+\.\d{3} token=\*\*\*$/));
    const all = ok.lines.join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(Buffer.from(secret).toString('base64'));

    const failed = await build([`FROM ${base}`, 'ARG TOKEN', 'RUN echo "leaking $TOKEN" && exit 3'], {
      buildArgs: { TOKEN: secret },
      secrets: [secret],
    });
    expect(failed.result).toBeInstanceOf(BuildError);
    const error = failed.result as BuildError;
    expect(`${error.message}\n${error.logTail.join('\n')}`).not.toContain(secret);
    expect(error.logTail).toContainEqual(expect.stringMatching(/leaking \*\*\*$/));
  });

  it('reports a failing RUN as a BuildError with its output', async () => {
    const { result } = await build([`FROM ${base}`, 'RUN echo "boom: the tests failed" >&2 && exit 3']);
    expect(result).toBeInstanceOf(BuildError);
    const error = result as BuildError;
    expect(error.kind).toBe('failed');
    expect(error.message).toMatch(/exit code: 3/);
    expect(error.logTail).toContainEqual(expect.stringMatching(/^#\d+ \d+\.\d{3} boom: the tests failed$/));
    expect(error.logTail).toContainEqual(expect.stringMatching(/^#\d+ ERROR: /));
  });

  it('refuses a # syntax= line before asking the engine', async () => {
    const { result } = await build(['# syntax=docker/dockerfile:1', `FROM ${base}`]);
    expect(result).toMatchObject({ kind: 'unsupported', message: expect.stringContaining('docker/dockerfile:1') });
  });
});

describe('the BuildKit session', () => {
  /** What a RUN step printed, without BuildKit's `#N 0.123 ` prefix. */
  const output = (lines: string[]) =>
    lines.map((l) => /^#\d+ \d+\.\d{3} (.*)$/.exec(l)?.[1] ?? (/^(#|Step |---|Removing|Successfully| ---)/.test(l) ? '' : l));

  it('sends the same tree the classic builder gets as a tar: nested, ignored, re-included, links, modes, names', async () => {
    const dockerfile = [
      `FROM ${base}`,
      'COPY . /ctx',
      'RUN cd /ctx && find . | LC_ALL=C sort && stat -c "%a %n" run.sh app && readlink link && cat logs/keep.txt',
    ];
    const dir = contextDir({
      Dockerfile: dockerfile.join('\n'),
      '.dockerignore': 'secret.txt\nlogs\n!logs/keep.txt\n**/*.tmp',
      'app/main.js': 'main',
      'app/deep/x.tmp': 'x',
      'run.sh': '#!/bin/sh\n',
      'secret.txt': 'never sent',
      'logs/drop.txt': 'dropped',
      'logs/keep.txt': 'kept\n',
      'ünïcode 😀.txt': 'u',
    });
    chmodSync(path.join(dir, 'run.sh'), 0o751);
    symlinkSync('app/main.js', path.join(dir, 'link'));
    const viaSession = await build(dockerfile, { dir, builder: 'buildkit' });
    const viaTar = await build(dockerfile, { dir, builder: 'legacy' });
    expect(viaSession.result).toMatchObject({ builder: 'buildkit' });
    expect(viaTar.result).toMatchObject({ builder: 'legacy' });
    const tree = [
      '.',
      './.dockerignore',
      './Dockerfile',
      './app',
      './app/deep',
      './app/main.js',
      './link',
      './logs',
      './logs/keep.txt',
      './run.sh',
      './ünïcode 😀.txt',
      '751 run.sh',
      '755 app',
      'app/main.js',
      'kept',
    ];
    for (const side of [viaSession, viaTar]) {
      const printed = output(side.lines).filter((l) => tree.includes(l));
      expect(printed).toEqual(tree);
    }
  });

  it('sends a rebuild with the same cache key only the files that changed', async () => {
    const dockerfile = [`FROM ${base}`, 'COPY . /ctx', 'RUN wc -c /ctx/big.bin /ctx/small.txt'];
    const dir = contextDir({ Dockerfile: dockerfile.join('\n'), 'big.bin': Buffer.alloc(3_000_000, 7), 'small.txt': 'one' });
    const key = `session-e2e-${run}`;
    /** The largest `transferring context: <size>` of a build, in bytes (the other one loads .dockerignore). */
    const transferred = (lines: string[]) =>
      Math.max(
        ...lines.map((l) => {
          const m = /transferring context: ([\d.]+)(B|kB|MB)/.exec(l);
          return m ? Number(m[1]) * { B: 1, kB: 1e3, MB: 1e6 }[m[2] as 'B' | 'kB' | 'MB'] : 0;
        }),
      );
    const first = await build(dockerfile, { dir, cacheKey: key });
    expect(first.result).toMatchObject({ builder: 'buildkit' });
    expect(transferred(first.lines)).toBeGreaterThanOrEqual(3_000_000);

    writeFileSync(path.join(dir, 'small.txt'), 'two, longer');
    const second = await build(dockerfile, { dir, cacheKey: key });
    expect(output(second.lines)).toContainEqual(expect.stringMatching(/^\s*11 \/ctx\/small\.txt$/));
    expect(transferred(second.lines)).toBeLessThan(10_000);

    // the control: another key starts from nothing
    const other = await build(dockerfile, { dir, cacheKey: `${key}-other` });
    expect(transferred(other.lines)).toBeGreaterThanOrEqual(3_000_000);
  });
});

describe('buildImage limits', () => {
  const probe = () => [
    `FROM ${base}`,
    'RUN cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
    'RUN dd if=/dev/zero of=/dev/null bs=96M count=1 && echo allocated',
  ];
  const limits = { cpuMillis: 500, memoryMiB: 64 };

  it("'auto' takes the legacy builder when limits are set, and a RUN over the memory limit fails", async () => {
    const { result, lines } = await build(probe().slice(0, 2), { builder: 'auto', limits });
    expect(result).toMatchObject({ builder: 'legacy', limitsEnforced: true });
    expect(lines).toContain(String(64 * 1024 * 1024));
    expect(lines).toContain('50000');

    const oom = await build(probe(), { builder: 'auto', limits });
    expect(oom.result).toMatchObject({ kind: 'failed' });
    expect(oom.lines).not.toContain('allocated');
  });

  it('BuildKit on this engine runs the same steps without the limits (the positive control)', async () => {
    const { result, lines } = await build(probe(), { builder: 'buildkit', limits });
    expect(result).toMatchObject({ builder: 'buildkit', limitsEnforced: false });
    expect(lines).toContainEqual(expect.stringMatching(/ 9223372036854\d+$/)); // no memory limit
    expect(lines).toContainEqual(expect.stringMatching(/ -1$/)); // no CPU quota
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ \d+\.\d{3} allocated$/));
  });

  it("'auto' takes BuildKit when there are no limits", async () => {
    const { result } = await build([`FROM ${base}`, 'RUN true'], { builder: 'auto' });
    expect(result).toMatchObject({ builder: 'buildkit' });
  });
});

describe('cancel', () => {
  for (const builder of ['buildkit', 'legacy'] as const) {
    it(`stops a ${builder} build on the engine when the signal aborts`, async () => {
      const seconds = builder === 'buildkit' ? '37' : '38';
      const controller = new AbortController();
      const sleeping = () => processes(['sleep', seconds]) > 0;
      // abort once the step runs (the positive control that the process check below sees it), after 1 s at least
      const aborted = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(await until(sleeping, 15_000)).toBe(true);
        controller.abort();
        return Date.now();
      })();
      const { result } = await build([`FROM ${base}`, `RUN sleep ${seconds}`], { builder, signal: controller.signal });
      const abortedAt = await aborted;
      expect(Date.now() - abortedAt).toBeLessThan(3_000);
      expect(result).toMatchObject({ kind: 'cancelled' });
      expect(await until(() => !sleeping(), 10_000)).toBe(true);
      const leftOver = async () =>
        (await docker.listContainers({ all: true })).filter((c) => c.Command.includes(`sleep ${seconds}`));
      expect(await until(async () => (await leftOver()).length === 0, 10_000)).toBe(true);
    });
  }
});

describe('pushImage', () => {
  it('returns the digest the registry reports', async () => {
    const { result, tag } = await build([`FROM ${base}`, `LABEL org.wharf.push=${run}`], { tags: [`${repo}:pushed`] });
    expect(result).toMatchObject({ builder: 'buildkit' });
    const log: string[] = [];
    const { digest } = await pushImage(docker, tag, {
      signal: AbortSignal.timeout(30_000),
      onLog: (l) => log.push(l),
    });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const res = await fetch(`http://${REGISTRY}/v2/wharf-test/build-${run}/manifests/pushed`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(res.headers.get('docker-content-digest')).toBe(digest);
    expect(log.length).toBeGreaterThan(0);
  });

  it('turns an engine error into a PushError', async () => {
    const error = await pushImage(docker, `${repo}:never-built`, {
      signal: AbortSignal.timeout(10_000),
      onLog: () => {},
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PushError', kind: 'failed' });
  });
});
