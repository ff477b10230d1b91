import { mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildOptions, buildImage } from './build.js';
import { BuildError } from './errors.js';

/** The stand-in's `POST /session`: switches protocols and holds the connection (no BuildKit asks for files). */
const sessions: IncomingHttpHeaders[] = [];
const socketDir = mkdtempSync(path.join(tmpdir(), 'wharf-build-spec-'));
const socketPath = path.join(socketDir, 'engine.sock');
const server = http.createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', (req, socket) => {
  sessions.push(req.headers);
  socket.write('HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
});
beforeAll(() => new Promise<void>((resolve) => server.listen(socketPath, resolve)));
afterAll(() => {
  server.close();
  rmSync(socketDir, { recursive: true, force: true });
});

interface Dialed {
  path: string;
  options: Record<string, unknown>;
}

/** A stand-in for the engine: answers /build with the given NDJSON messages (or error), records the query. */
function fakeEngine(answer: { messages?: object[]; error?: Error }, version = { ApiVersion: '1.41', Os: 'linux' }) {
  const dialed: Dialed[] = [];
  const docker = {
    version: async () => version,
    modem: {
      socketPath,
      dial(opts: Dialed, cb: (err: Error | null, res?: Readable) => void) {
        dialed.push(opts);
        if (answer.error) cb(answer.error);
        else cb(null, Readable.from((answer.messages ?? []).map((m) => `${JSON.stringify(m)}\n`)));
      },
    },
  };
  return { docker: docker as unknown as Docker, dialed };
}

const options = (over: Partial<BuildOptions> = {}): BuildOptions => ({
  context: { entries: [], dockerfile: { path: 'Dockerfile', text: 'FROM x', injected: false } },
  tags: ['127.0.0.1:5000/t/app:1'],
  buildArgs: { A: 'b' },
  secrets: ['hunter22'],
  cacheFrom: [],
  limits: { cpuMillis: 0, memoryMiB: 0 },
  labels: { 'org.wharf.app': 'x' },
  builder: 'auto',
  signal: new AbortController().signal,
  onLog: () => {},
  ...over,
});

const imageId = `sha256:${'a'.repeat(64)}`;
const done = [{ stream: 'Step 1/1 : FROM x\n' }, { aux: { ID: imageId } }];

describe('buildImage (against a stand-in engine)', () => {
  it("'auto' sends BuildKit builds with inline cache, labels and cache sources, the context through a session", async () => {
    const { docker, dialed } = fakeEngine({ messages: done });
    const result = await buildImage(docker, options({ cacheFrom: ['127.0.0.1:5000/t/app:0'], cacheKey: 'app-1' }));
    expect(result).toEqual({ imageId, builder: 'buildkit', limitsEnforced: true });
    const session = sessions.at(-1);
    expect(session).toMatchObject({
      upgrade: 'h2c',
      'x-docker-expose-session-sharedkey': 'app-1',
      'x-docker-expose-session-grpc-method': expect.stringContaining('/moby.filesync.v1.FileSync/DiffCopy'),
    });
    expect(dialed[0]?.options).toMatchObject({
      _query: { remote: 'client-session', session: session?.['x-docker-expose-session-uuid'] },
    });
    expect(dialed[0]).not.toHaveProperty('file');
    expect(dialed[0]?.options).toMatchObject({
      _query: {
        version: '2',
        t: ['127.0.0.1:5000/t/app:1'],
        buildargs: JSON.stringify({ A: 'b', BUILDKIT_INLINE_CACHE: '1' }),
        labels: JSON.stringify({ 'org.wharf.app': 'x' }),
        cachefrom: JSON.stringify(['127.0.0.1:5000/t/app:0']),
      },
    });
  });

  it("'auto' takes the legacy builder with limits, and on an engine older than API 1.39", async () => {
    const limited = fakeEngine({ messages: done });
    const result = await buildImage(limited.docker, options({ limits: { cpuMillis: 1500, memoryMiB: 256 } }));
    expect(result).toEqual({ imageId, builder: 'legacy', limitsEnforced: true });
    expect(limited.dialed[0]?.options).toMatchObject({
      _query: {
        version: '1',
        dockerfile: 'Dockerfile',
        memory: 256 * 1024 * 1024,
        memswap: 256 * 1024 * 1024,
        cpuperiod: 100_000,
        cpuquota: 150_000,
      },
    });
    expect(limited.dialed[0]).toHaveProperty('file');

    const old = fakeEngine({ messages: done }, { ApiVersion: '1.38', Os: 'linux' });
    expect(await buildImage(old.docker, options())).toMatchObject({ builder: 'legacy' });
  });

  it('reports an engine that refuses BuildKit as unsupported, masked', async () => {
    const { docker } = fakeEngine({ error: new Error('(HTTP code 400) buildkit not supported by daemon hunter22') });
    const error = await buildImage(docker, options({ builder: 'buildkit' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect(error).toMatchObject({ kind: 'unsupported', message: expect.not.stringContaining('hunter22') });
  });

  it('turns an error message into a failed BuildError with the masked log tail', async () => {
    const { docker } = fakeEngine({
      messages: [
        { stream: 'Step 2/2 : RUN ./test\n' },
        { stream: 'token hunter22 leaked\n' },
        { errorDetail: { message: 'returned a non-zero code: 1' }, error: 'returned a non-zero code: 1' },
      ],
    });
    const lines: string[] = [];
    const error = await buildImage(docker, options({ builder: 'legacy', onLog: (l) => lines.push(l) })).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'failed', message: 'returned a non-zero code: 1' });
    expect((error as BuildError).logTail).toEqual(['Step 2/2 : RUN ./test', 'token *** leaked']);
    expect(lines).toEqual(['Step 2/2 : RUN ./test', 'token *** leaked']);
  });

  it('renders BuildKit traces and survives one it cannot decode', async () => {
    const vertex = Buffer.from([0x0a, 0x0e, 0x0a, 0x01, 0x61, 0x1a, 0x07, ...Buffer.from('[1/1] X'), 0x20, 0x01]).toString(
      'base64',
    );
    const { docker } = fakeEngine({
      messages: [
        { id: 'moby.buildkit.trace', aux: Buffer.from([0x0a, 0x05, 0x0a]).toString('base64') },
        { id: 'moby.buildkit.trace', aux: vertex },
        { id: 'moby.image.id', aux: { ID: imageId } },
      ],
    });
    const lines: string[] = [];
    await buildImage(docker, options({ builder: 'buildkit', onLog: (l) => lines.push(l) }));
    expect(lines).toEqual(['(unreadable BuildKit progress: truncated field)', '#1 [1/1] X', '#1 CACHED']);
  });

  it('refuses BUILDKIT_SYNTAX, and a signal aborted before the start', async () => {
    const { docker, dialed } = fakeEngine({ messages: done });
    await expect(
      buildImage(docker, options({ builder: 'buildkit', buildArgs: { BUILDKIT_SYNTAX: 'docker/dockerfile:1' } })),
    ).rejects.toMatchObject({ kind: 'unsupported' });
    const syntax = { path: 'Dockerfile', text: '# syntax=docker/dockerfile:1\nFROM x', injected: false };
    await expect(
      buildImage(docker, options({ builder: 'buildkit', context: { entries: [], dockerfile: syntax } })),
    ).rejects.toMatchObject({ kind: 'unsupported' });
    const controller = new AbortController();
    controller.abort();
    await expect(buildImage(docker, options({ signal: controller.signal }))).rejects.toMatchObject({
      kind: 'cancelled',
    });
    expect(dialed).toEqual([]);
  });
});
