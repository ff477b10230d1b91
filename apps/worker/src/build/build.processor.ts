import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BaseImages,
  BuildError,
  BuildPlanError,
  ContextError,
  type GitAuth,
  GitError,
  LOCAL_BASE_IMAGES,
  PushError,
  secretMasker,
} from '@wharf/build';
import { BuildSettings as BuildSettingsSchema } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import {
  type AppSourceRow,
  BuildsRepository,
  type Database,
  effectiveLimits,
  SourcesRepository,
  type TenantId,
  type TenantScope,
  TenantsRepository,
} from '@wharf/db';
import { type Bus, CHANNELS, type JobPayload, RetryLater } from '@wharf/queue';
import type Docker from 'dockerode';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';
import { type BuiltImage, buildAndPush, type ImageBuildEnv } from './build-image.js';
import { BuildLog } from './build-log.js';
import type { BuildRelease } from './build-release.js';
import { checkout, SourceError, sourceAuth } from './build-source.js';
import { imageTargets, planOf, TargetsError } from './build-targets.js';
import { CheckoutCache } from './checkout-cache.js';

/** How long a build waits before asking again when its tenant already runs as many builds as its plan allows. */
const BUSY_RETRY_MS = 1_000;
const CANCEL_POLL_MS = 1_000;

/** A build that ends without an image: how and why. */
class BuildStopped extends Error {
  constructor(
    readonly status: 'failed' | 'cancelled',
    message: string,
  ) {
    super(message);
  }
}

/**
 * `build.run`, on the builders of the build's region: queued → running (admitted against the tenant's concurrent
 * builds and build minutes) → checkout at the exact commit (or the uploaded archive) → plan (the repository's
 * Dockerfile, or one Wharf writes) → build on the builder's engine → push to the platform registry as
 * `<tenant>/<app>:<commit>` → succeeded, and deployments of the environments it names, pinned to the digest. A
 * builder killed mid-build leaves the build `running`: the job is taken over and builds again from a clean checkout;
 * nothing is deployed before the image is pushed and its digest recorded.
 */
export class BuildProcessor {
  private readonly builds = new BuildsRepository();
  private readonly sources = new SourcesRepository();
  private readonly tenants = new TenantsRepository();
  private readonly bases: BaseImages;
  private readonly checkouts: CheckoutCache;

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly box: SecretBox,
    private readonly docker: Docker,
    private readonly release: BuildRelease,
    private readonly config: WorkerConfig,
    private readonly log: Logger,
  ) {
    this.bases = config.BUILD_BASE_IMAGES ? { ...LOCAL_BASE_IMAGES, ...JSON.parse(config.BUILD_BASE_IMAGES) } : LOCAL_BASE_IMAGES;
    this.checkouts = new CheckoutCache(config.BUILD_CHECKOUT_CACHE_DIR, config.BUILD_CHECKOUT_CACHE_APPS);
  }

  async run({ tenantId, buildId }: JobPayload<'build.run'>, job: { attemptsMade: number }): Promise<void> {
    const tenant = tenantId as TenantId;
    const started = await this.db.withTenant(tenant, null, (s) => this.admit(s, buildId));
    await this.bus.publish(CHANNELS.build(buildId));
    if (!started) return;
    const { build, tenantSlug, app, minutesLeft, settings, takenOver, lastLogSeq, secrets, auth } = started;
    const log = BuildLog.resume(this.db, this.bus, this.log, tenant, buildId, lastLogSeq);
    const mask = secretMasker([
      ...Object.values(secrets),
      ...(!(auth instanceof SourceError) && 'token' in auth ? [auth.token] : []),
    ]);
    const say = (line: string) => log.line(mask(line));
    // a retried job (attemptsMade), or a stalled one taken over from a killed builder (BullMQ does not count that as
    // an attempt, but the build was left `running`)
    const restarted = job.attemptsMade > 0 || takenOver;
    if (restarted) {
      const attempt = job.attemptsMade > 0 ? ` (attempt ${job.attemptsMade + 1})` : '';
      say(`builder restarted${attempt}: building again from a clean checkout`);
    }

    const abort = new AbortController();
    const timeoutMs = Math.min(settings.timeoutMinutes, minutesLeft) * 60_000;
    const timer = setTimeout(() => abort.abort(new BuildStopped('failed', timeoutReason(settings, minutesLeft))), timeoutMs);
    const watcher = setInterval(() => void this.watchCancel(tenant, buildId, abort), CANCEL_POLL_MS);
    const work = await mkdtemp(join(tmpdir(), `wharf-build-${buildId.slice(0, 8)}-`));
    // an uploaded archive is unpacked into a directory of its own; a repository reuses the app's last checkout
    const lease =
      build.kind === 'upload'
        ? { dir: join(work, 'src'), reuse: false, release: async () => {} }
        : await this.checkouts.lease(build.appId, join(work, 'src'), { clean: restarted });
    try {
      if (auth instanceof SourceError) throw auth;
      const srcDir = lease.dir;
      const upload = () => this.db.withTenant(tenant, null, (s) => this.builds.upload(s, buildId));
      const fetched = await checkout(build, upload, {
        dir: srcDir,
        reuse: lease.reuse,
        auth,
        allowInsecureHttp: this.config.GIT_ALLOW_LOCAL,
        timeoutMs,
        signal: abort.signal,
        onLog: say,
      });
      const tag = fetched.commit ?? `upload-${build.number}`;
      const targets = await this.db.withTenant(tenant, null, (s) =>
        imageTargets(s, this.box, { registry: this.config.REGISTRY, tenantSlug, app, build, settings, tag }),
      );
      const env: ImageBuildEnv = {
        docker: this.docker,
        bases: this.bases,
        builder: this.config.BUILD_BUILDER,
        limits: { cpuMillis: this.config.BUILD_CPU_MILLIS, memoryMiB: this.config.BUILD_MEMORY_MIB },
        contextMaxBytes: this.config.BUILD_CONTEXT_MAX_MIB * 1024 * 1024,
        ...(this.config.REGISTRY_USERNAME
          ? {
              registryAuth: {
                username: this.config.REGISTRY_USERNAME,
                password: this.config.REGISTRY_PASSWORD ?? '',
                serveraddress: this.config.REGISTRY,
              },
            }
          : {}),
        labels: { 'org.wharf.tenant': tenantId, 'org.wharf.app': build.appId, 'org.wharf.build': buildId },
        secrets,
        signal: abort.signal,
        say,
      };
      const images: BuiltImage[] = [];
      const recorded = () => ({
        plan: planOf(targets, images),
        ...(fetched.commit ? { commit: fetched.commit, commitSubject: fetched.subject } : {}),
      });
      for (const [i, target] of targets.entries()) {
        images.push(await buildAndPush(srcDir, target, env));
        // the plan is shown as soon as there is one (the whole stack's once every service is built); the last
        // image's is recorded with the success, in its transaction
        if (i < targets.length - 1) await this.db.withTenant(tenant, null, (s) => this.builds.record(s, buildId, recorded()));
      }
      const single = images.length === 1 && !targets[0]?.service ? images[0] : undefined;
      const lastLog = await log.handOver();
      await this.release
        .succeeded(
          tenant,
          buildId,
          single
            ? { image: single.ref, digest: single.digest }
            : { images: Object.fromEntries(images.map((m, i) => [targets[i]?.service ?? '', `${m.ref}@${m.digest}`])) },
          recorded(),
          lastLog,
          say,
        )
        .catch(async (err: unknown) => {
          if (lastLog) await log.takeBack(lastLog);
          throw err;
        });
      await log.flush();
      for (const repository of new Set(images.map((m) => m.ref.slice(0, m.ref.lastIndexOf(':'))))) {
        await this.release
          .retain(tenant, build.appId, repository, say)
          .catch((err: Error) => say(`image retention: ${err.message}`));
      }
    } catch (err) {
      const stopped = abort.signal.aborted && abort.signal.reason instanceof BuildStopped ? abort.signal.reason : undefined;
      const outcome = stopped ?? userFacing(err);
      if (!outcome) throw err;
      say(`${outcome.status === 'cancelled' ? 'cancelled' : 'failed'}: ${mask(outcome.message)}`);
      await log.flush();
      await this.finish(tenant, buildId, outcome.status, mask(outcome.message));
    } finally {
      clearTimeout(timer);
      clearInterval(watcher);
      await log.flush();
      await lease.release();
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The job's last attempt failed (a builder crash each time, or an unexpected error): the build ends failed. */
  async gaveUp({ tenantId, buildId }: JobPayload<'build.run'>, message: string): Promise<void> {
    await this.finish(tenantId as TenantId, buildId, 'failed', `the builder failed: ${message}`);
  }

  private async admit(s: TenantScope, buildId: string) {
    const build = await this.builds.get(s, buildId, true);
    if (!build || build.status === 'succeeded' || build.status === 'failed' || build.status === 'cancelled') return undefined;
    if (build.cancelRequested) {
      await this.builds.transition(s, buildId, 'cancelled', { reason: 'cancelled before it started' });
      await this.builds.dropUpload(s, buildId);
      return undefined;
    }
    const tenant = await this.tenants.lock(s);
    const { limits } = await effectiveLimits(s);
    const minutesUsed = await this.builds.minutesThisMonth(s);
    if (build.status === 'queued') {
      if ((await this.builds.countRunning(s)) >= limits.concurrentBuilds) {
        throw new RetryLater(BUSY_RETRY_MS, `tenant at its ${limits.concurrentBuilds} concurrent builds`);
      }
      if (minutesUsed >= limits.buildMinutesPerMonth) {
        await this.builds.transition(s, buildId, 'failed', {
          reason: `the tenant has used its ${limits.buildMinutesPerMonth} build minutes of this month`,
        });
        return undefined;
      }
      await this.builds.transition(s, buildId, 'running');
    }
    const source = await this.sources.find(s, build.appId);
    const app = await s.trx
      .selectFrom('apps')
      .select(['id', 'slug', 'kind', 'compose'])
      .where('tenantId', '=', s.tenantId)
      .where('id', '=', build.appId)
      .executeTakeFirst();
    if (!app) return undefined;
    const settings = BuildSettingsSchema.parse(source?.settings ?? {});
    // read here rather than after: every round trip before the checkout is time the build waits
    const auth: GitAuth | SourceError = source
      ? await sourceAuth(this.box, s, source).catch((err: unknown) => {
          if (err instanceof SourceError) return err; // the build fails with it, once it is running
          throw err;
        })
      : { kind: 'none' };
    return {
      build,
      // already running before this admission: its builder died and this job took it over
      takenOver: build.status === 'running',
      secrets: this.secretArgs(s, source),
      auth,
      lastLogSeq: await this.builds.lastLogSeq(s, buildId),
      tenantSlug: tenant.slug,
      app,
      settings,
      minutesLeft: Math.max(1, limits.buildMinutesPerMonth - minutesUsed),
    };
  }

  private secretArgs(s: TenantScope, source: AppSourceRow | undefined): Record<string, string> {
    if (!source?.secretArgsSealed) return {};
    return JSON.parse(this.box.open(source.secretArgsSealed, AAD.buildArgs(s.tenantId, source.appId)));
  }

  private async watchCancel(tenant: TenantId, buildId: string, abort: AbortController): Promise<void> {
    if (abort.signal.aborted) return;
    const row = await this.db.withTenant(tenant, null, (s) => this.builds.get(s, buildId)).catch(() => undefined);
    if (row?.cancelRequested) abort.abort(new BuildStopped('cancelled', 'cancel requested'));
  }

  private async finish(tenant: TenantId, buildId: string, status: 'failed' | 'cancelled', reason: string): Promise<void> {
    await this.db.withTenant(tenant, null, async (s) => {
      await this.builds.transition(s, buildId, status, { reason: reason.slice(0, 2000) });
      await this.builds.dropUpload(s, buildId);
    });
    await this.bus.publish(CHANNELS.build(buildId));
  }
}

function timeoutReason(settings: { timeoutMinutes: number }, minutesLeft: number): string {
  return minutesLeft < settings.timeoutMinutes
    ? `the tenant's build minutes ran out (${minutesLeft} min were left this month)`
    : `the build took longer than its ${settings.timeoutMinutes} min timeout`;
}

/** Errors that are the build's own (the repository, the Dockerfile, the program): the build fails with them. */
function userFacing(err: unknown): BuildStopped | undefined {
  if (
    err instanceof GitError ||
    err instanceof BuildPlanError ||
    err instanceof ContextError ||
    err instanceof PushError ||
    err instanceof TargetsError ||
    err instanceof SourceError
  ) {
    return new BuildStopped('failed', err.message);
  }
  if (err instanceof BuildError) return new BuildStopped(err.kind === 'cancelled' ? 'cancelled' : 'failed', err.message);
  return undefined;
}
