import { applyRetention, type RegistryClient } from '@wharf/build';
import { DomainError } from '@wharf/contracts';
import {
  AppsRepository,
  BuildsRepository,
  type Database,
  DeploymentsRepository,
  EnvironmentsRepository,
  type TenantId,
  type TenantScope,
} from '@wharf/db';
import { type Bus, CHANNELS } from '@wharf/queue';
import type { Releases } from '@wharf/releases';
import type { LogChunk } from './build-log.js';

/** `<registry>/<tenant>/<app>`: where an app's images go (tagged with their commit). */
export function imageRepository(registry: string, tenantSlug: string, appSlug: string): string {
  return `${registry}/${tenantSlug}/${appSlug}`;
}

/**
 * What happens to a built image: its plan and commit are recorded, the build succeeds and, in the same transaction, the environments it names get a
 * deployment pinned to the image's digest (a retried job finds the build ended and deploys nothing twice); then the
 * registry keeps the app's newest images and those that environments run.
 */
export class BuildRelease {
  private readonly builds = new BuildsRepository();
  private readonly apps = new AppsRepository();
  private readonly environments = new EnvironmentsRepository();
  private readonly deployments = new DeploymentsRepository();

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly releases: Releases,
    private readonly registry: RegistryClient,
    private readonly keep: number,
  ) {}

  async succeeded(
    tenant: TenantId,
    buildId: string,
    made: { image: string; digest: string } | { images: Record<string, string> },
    recorded: Parameters<BuildsRepository['record']>[2],
    /** The log's lines not stored yet: stored with the success. */
    lastLog: LogChunk | undefined,
    say: (line: string) => void,
  ) {
    const after: (() => Promise<void>)[] = [];
    await this.db.withTenant(tenant, null, async (s) => {
      if (lastLog) await this.builds.appendLog(s, buildId, lastLog.seq, lastLog.text);
      await this.builds.record(s, buildId, recorded);
      const build = await this.builds.transition(s, buildId, 'succeeded', made);
      if (!build) return;
      await this.builds.dropUpload(s, buildId);
      const app = await this.apps.lock(s, build.appId);
      if (!app || app.deletedAt) return;
      for (const environment of build.environments) {
        try {
          const d = await this.releases.deploy(s, app, environment, build.createdBy, { build }, (fn) => after.push(fn));
          say(`deploying to ${environment}: deployment ${d.id} (revision ${d.revision})`);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          say(`not deployed to ${environment}: ${err.message}`);
        }
      }
    });
    for (const fn of after) await fn();
    await this.bus.publish(CHANNELS.build(buildId));
  }

  /** Deletes the app's older images, keeping the newest `keep` builds' and every one an environment runs. */
  async retain(tenant: TenantId, appId: string, repository: string, say: (line: string) => void): Promise<void> {
    const { newestFirst, protectedDigests } = await this.db.withTenant(tenant, null, (s) => this.inUse(s, appId));
    const repo = repository.slice(repository.indexOf('/') + 1);
    const result = await applyRetention(this.registry, repo, this.keep, protectedDigests, (tags) =>
      newestFirst.filter((t) => tags.includes(t)),
    );
    if (result.deleted.length > 0) say(`removed ${result.deleted.length} older image(s) of the app from the registry`);
  }

  private async inUse(s: TenantScope, appId: string) {
    const page = await this.builds.list(s, appId, { limit: 100 });
    const newestFirst = page.items.flatMap((b) =>
      b.status === 'succeeded' && b.image ? [b.image.slice(b.image.lastIndexOf(':') + 1)] : [],
    );
    const protectedDigests = new Set<string>();
    for (const env of await this.environments.list(s, appId)) {
      const current = env.currentDeploymentId ? await this.deployments.get(s, env.currentDeploymentId) : undefined;
      const build = current?.buildId ? await this.builds.get(s, current.buildId) : undefined;
      if (build?.digest) protectedDigests.add(build.digest);
    }
    return { newestFirst, protectedDigests };
  }
}
