import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { PlainProgress } from './buildkit-progress.js';
import { decodeStatusResponse, ProtobufError } from './buildkit-status.js';
import { type BuildContext, tarContext } from './context.js';
import { findSyntaxDirective } from './dockerfile-directives.js';
import { BuildError } from './errors.js';
import type { SyncEntry } from './filesync.js';
import { LineSplitter, readJsonMessages, type StreamMessage } from './json-stream.js';
import { secretMasker } from './mask.js';
import { type BuildSession, openBuildSession } from './session.js';

export type Builder = 'buildkit' | 'legacy';

export interface BuildOptions {
  /** The walked build context (readContext), with the Dockerfile to build. */
  context: BuildContext;
  /**
   * What BuildKit keeps the context it received under, so that the next build with the same key sends only what
   * changed (one per app and build target). Default: a key of its own per build.
   */
  cacheKey?: string;
  /** Full references, `127.0.0.1:5000/tenant/app:tag`. */
  tags: string[];
  target?: string;
  buildArgs: Record<string, string>;
  /** Values masked wherever they appear in logs and errors. */
  secrets: string[];
  /** Earlier images of the same app, in the registry, whose layers may be reused. */
  cacheFrom: string[];
  /** 0 means unlimited. Only the legacy builder applies them (see chooseBuilder). */
  limits: { cpuMillis: number; memoryMiB: number };
  labels: Record<string, string>;
  /** 'auto': BuildKit unless limits must apply or the engine lacks it. */
  builder: Builder | 'auto';
  /** The network RUN steps get. Default: the engine's default bridge. */
  network?: 'default' | 'none';
  signal: AbortSignal;
  onLog: (line: string) => void;
}

export interface BuildResult {
  imageId: string;
  builder: Builder;
  /** Whether the engine applied `limits` to the RUN steps (false for BuildKit: it ignores them). */
  limitsEnforced: boolean;
}

/** Log lines kept for a BuildError. */
const TAIL_LINES = 40;
const CPU_PERIOD_US = 100_000;

const buildkitSupport = new WeakMap<Docker, Promise<boolean>>();

/**
 * BuildKit came with Engine API 1.39 and runs on Linux engines only. A positive answer is cached per client: the
 * context stream can be sent once, so the choice is made before the request, not by retrying it.
 */
function engineHasBuildKit(docker: Docker): Promise<boolean> {
  let known = buildkitSupport.get(docker);
  if (!known) {
    known = docker.version().then((v) => v.Os === 'linux' && Number.parseFloat(v.ApiVersion) >= 1.39);
    buildkitSupport.set(docker, known);
    known.catch(() => buildkitSupport.delete(docker));
  }
  return known;
}

/**
 * dockerd's embedded BuildKit ignores `memory`, `memswap`, `cpuquota`, `cpuperiod` and `cgroupparent` on
 * `POST /build` (moby builder-next passes only target, filename, build args, labels, cache-from, network mode
 * host/none, extra hosts, shm size and ulimits to the solver); its RUN steps run in `<cgroup-parent>/buildkit/<id>`
 * with no limit. The legacy builder runs each RUN in a container with those limits. So 'auto' takes the legacy
 * builder whenever limits are set.
 */
async function chooseBuilder(docker: Docker, wanted: BuildOptions['builder'], limited: boolean): Promise<Builder> {
  if (wanted !== 'auto') return wanted;
  if (limited) return 'legacy';
  return (await engineHasBuildKit(docker)) ? 'buildkit' : 'legacy';
}

/** The Dockerfile's name in the session's `dockerfile` directory. */
const SESSION_DOCKERFILE = 'Dockerfile';

function buildQuery(opts: BuildOptions, builder: Builder, session?: BuildSession): Record<string, unknown> {
  const memory = opts.limits.memoryMiB > 0 ? opts.limits.memoryMiB * 1024 * 1024 : undefined;
  const cpuquota = opts.limits.cpuMillis > 0 ? Math.round((opts.limits.cpuMillis / 1000) * CPU_PERIOD_US) : undefined;
  const buildargs = builder === 'buildkit' ? { ...opts.buildArgs, BUILDKIT_INLINE_CACHE: '1' } : opts.buildArgs;
  return {
    version: builder === 'buildkit' ? '2' : '1',
    ...(session ? { remote: 'client-session', session: session.id } : {}),
    t: opts.tags,
    dockerfile: session ? SESSION_DOCKERFILE : opts.context.dockerfile.path,
    ...(opts.target ? { target: opts.target } : {}),
    buildargs: JSON.stringify(buildargs),
    labels: JSON.stringify(opts.labels),
    cachefrom: JSON.stringify(opts.cacheFrom),
    rm: true,
    forcerm: true,
    networkmode: opts.network ?? 'default',
    ...(memory ? { memory, memswap: memory } : {}),
    ...(cpuquota ? { cpuperiod: CPU_PERIOD_US, cpuquota } : {}),
  };
}

/** Refuses what BuildKit would try to fetch from the internet: a `# syntax=` frontend image. */
function vetForBuildKit(opts: BuildOptions): void {
  const syntax = findSyntaxDirective(opts.context.dockerfile.text);
  const viaArg = opts.buildArgs.BUILDKIT_SYNTAX;
  if (syntax || viaArg) {
    throw new BuildError(
      'unsupported',
      `The Dockerfile asks for the frontend image "${syntax ?? viaArg}" (a "# syntax=" line or BUILDKIT_SYNTAX), ` +
        'which would be pulled from a registry this builder cannot reach. Remove it: the built-in Dockerfile frontend ' +
        'is used instead.',
    );
  }
}

/** `POST /build`: with a tar of the context as its body, or with none when a session serves the context. */
function dial(docker: Docker, query: Record<string, unknown>, body: Readable | undefined, signal: AbortSignal) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/build?',
        method: 'POST',
        // docker-modem sends `options` as a JSON body too unless told apart
        options: { _query: query, _body: {} },
        ...(body ? { file: body, headers: { 'Content-Type': 'application/x-tar' } } : {}),
        isStream: true,
        abortSignal: signal,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (err, res) => (err ? reject(err) : resolve(res as IncomingMessage)),
    );
  });
}

/**
 * The legacy builder only reuses layers of cache-from images that are already in the engine; BuildKit fetches them
 * itself. A cache image that cannot be pulled (the app's first build) only costs the cache.
 */
async function pullCacheSources(docker: Docker, refs: string[], signal: AbortSignal, log: (l: string) => void) {
  for (const ref of refs) {
    try {
      const authconfig = { serveraddress: ref.split('/')[0] };
      const stream = (await docker.pull(ref, { authconfig, abortSignal: signal })) as AsyncIterable<Buffer>;
      let failure: string | undefined;
      await readJsonMessages(
        stream,
        (m) => {
          if (m.error || m.errorDetail) failure = m.errorDetail?.message ?? m.error;
        },
        () => {},
      );
      log(failure ? `cache image ${ref} not available: ${failure}` : `using ${ref} as a cache source`);
    } catch (e) {
      if (signal.aborted) return;
      log(`cache image ${ref} not available: ${engineMessage(e)}`);
    }
  }
}

/** Renders one BuildKit trace; a trace this decoder cannot read costs its lines, not the build. */
function traceProgress(progress: PlainProgress, aux: string, log: (line: string) => void): void {
  try {
    progress.update(decodeStatusResponse(Buffer.from(aux, 'base64')));
  } catch (e) {
    if (!(e instanceof ProtobufError)) throw e;
    log(`(unreadable BuildKit progress: ${e.message})`);
  }
}

const engineMessage = (e: unknown): string => {
  const json = (e as { json?: { message?: string } | string }).json;
  if (typeof json === 'object' && json?.message) return json.message;
  return e instanceof Error ? e.message : String(e);
};

let lastStampNs = 0n;
/** A modification time later than any given before: BuildKit keeps a received file whose stat did not change. */
function freshStampNs(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastStampNs = now > lastStampNs ? now : lastStampNs + 1n;
  return lastStampNs;
}

/** The context and Dockerfile as the session's two directories, the way the Docker CLI serves them. */
function sessionDirs(context: BuildContext): Record<string, SyncEntry[]> {
  const dockerfile: SyncEntry = {
    kind: 'data',
    name: SESSION_DOCKERFILE,
    data: Buffer.from(context.dockerfile.text),
    mode: 0o644,
    mtimeNs: freshStampNs(),
  };
  return { context: context.entries, dockerfile: [dockerfile] };
}

/**
 * Builds an image through the Engine API: with BuildKit (`version=2`, the context served by a session as the
 * Docker CLI does, its protobuf progress rendered as `--progress=plain` lines) or with the legacy builder (the
 * context as a tar). Every log line and error message is masked. Aborting `signal` drops the request, and the
 * engine cancels the build.
 */
export async function buildImage(docker: Docker, opts: BuildOptions): Promise<BuildResult> {
  const mask = secretMasker(opts.secrets);
  const tail: string[] = [];
  const log = (line: string) => {
    const masked = mask(line);
    tail.push(masked);
    if (tail.length > TAIL_LINES) tail.shift();
    opts.onLog(masked);
  };
  const cancelled = () => new BuildError('cancelled', 'The build was cancelled.', [...tail]);
  if (opts.signal.aborted) throw cancelled();

  const limited = opts.limits.cpuMillis > 0 || opts.limits.memoryMiB > 0;
  const builder = await chooseBuilder(docker, opts.builder, limited);
  let session: BuildSession | undefined;
  let tar: Readable | undefined;
  if (builder === 'buildkit') {
    vetForBuildKit(opts);
    if (limited) log('WARNING: BuildKit in this engine does not apply the CPU and memory limits to RUN steps');
    try {
      session = await openBuildSession(docker, {
        name: 'wharf-build',
        sharedKey: opts.cacheKey ?? randomUUID(),
        dirs: sessionDirs(opts.context),
        signal: opts.signal,
      });
    } catch (e) {
      if (opts.signal.aborted) throw cancelled();
      throw new BuildError('engine', `The engine did not open a build session: ${mask(engineMessage(e))}`, [...tail]);
    }
  } else {
    if (opts.cacheFrom.length > 0) await pullCacheSources(docker, opts.cacheFrom, opts.signal, log);
    tar = tarContext(opts.context);
  }
  try {
    return await run(docker, opts, { builder, limited, session, tar, log, mask, tail, cancelled });
  } finally {
    session?.close();
    // a refused, failed or cancelled build leaves the tar half read: close it and the file it was reading
    tar?.destroy();
  }
}

interface Run {
  builder: Builder;
  limited: boolean;
  session: BuildSession | undefined;
  tar: Readable | undefined;
  log: (line: string) => void;
  mask: (text: string) => string;
  tail: string[];
  cancelled: () => BuildError;
}

async function run(docker: Docker, opts: BuildOptions, r: Run): Promise<BuildResult> {
  const { builder, log, mask, tail, cancelled } = r;
  let response: IncomingMessage;
  try {
    response = await dial(docker, buildQuery(opts, builder, r.session), r.tar, opts.signal);
  } catch (e) {
    if (opts.signal.aborted) throw cancelled();
    const message = mask(engineMessage(e));
    const unsupported = builder === 'buildkit' && /buildkit|builder version|invalid version/i.test(message);
    throw new BuildError(unsupported ? 'unsupported' : 'failed', message, [...tail]);
  }

  const progress = new PlainProgress(log);
  const text = new LineSplitter(log);
  let imageId: string | undefined;
  let failure: string | undefined;
  const handle = (m: StreamMessage) => {
    if (m.id === 'moby.buildkit.trace' && typeof m.aux === 'string') {
      traceProgress(progress, m.aux, log);
    } else if (m.aux && typeof m.aux === 'object' && typeof m.aux.ID === 'string') {
      imageId = m.aux.ID;
    } else if (typeof m.stream === 'string') {
      text.push(m.stream);
    } else if (typeof m.status === 'string' && !m.progressDetail?.total) {
      log(m.id ? `${m.id}: ${m.status}` : m.status);
    }
    if (m.error || m.errorDetail) failure = m.errorDetail?.message ?? m.error ?? 'the build failed';
  };
  try {
    await readJsonMessages(response, handle, (line) => text.push(`${line}\n`));
  } catch (e) {
    if (opts.signal.aborted) throw cancelled();
    throw new BuildError('engine', `The connection to the engine failed: ${mask(engineMessage(e))}`, [...tail]);
  } finally {
    progress.flush();
    text.flush();
  }
  if (opts.signal.aborted) throw cancelled();
  const transfer = r.session?.failure();
  if (failure !== undefined) {
    const why = transfer ? ` (sending the context: ${transfer.message})` : '';
    throw new BuildError('failed', mask(failure + why), [...tail]);
  }
  if (!imageId) throw new BuildError('engine', 'The engine finished the build without an image id.', [...tail]);
  return { imageId, builder, limitsEnforced: builder === 'legacy' || !r.limited };
}
