import { compileCompose, type ServiceBuild } from '@wharf/compose';
import type { BuildSettings as SourceSettings } from '@wharf/contracts';
import type { SecretBox } from '@wharf/crypto';
import { type AppRow, type BuildRow, BuildsRepository, type TenantScope } from '@wharf/db';
import { environmentValues } from '@wharf/releases';
import type { BuiltImage, ImageTarget } from './build-image.js';
import { composeSettings } from './build-image.js';
import { imageRepository } from './build-release.js';

/** A build's own problem found before anything is built (the stack's file, a stack that builds nothing). */
export class TargetsError extends Error {}

export interface TargetInput {
  registry: string;
  tenantSlug: string;
  app: Pick<AppRow, 'id' | 'slug' | 'kind' | 'compose'>;
  build: BuildRow;
  settings: SourceSettings;
  tag: string;
}

/**
 * The images a build makes: an app built from source makes one (its source's settings); a compose stack one per
 * service that `build:`s, compiled with the variables of the first environment it deploys to. Each reuses the layers
 * of the app's last image of the same target.
 */
export async function imageTargets(s: TenantScope, box: SecretBox, input: TargetInput): Promise<ImageTarget[]> {
  const { registry, tenantSlug, app, build, settings, tag } = input;
  const repository = imageRepository(registry, tenantSlug, app.slug);
  const previous = await new BuildsRepository().latestSucceeded(s, app.id);
  if (app.kind !== 'compose') {
    const { timeoutMinutes: _, ...rest } = settings;
    return [
      { settings: rest, ref: `${repository}:${tag}`, cacheFrom: previous?.image ? [previous.image] : [], cacheKey: app.id },
    ];
  }
  const environment = build.environments[0] ?? 'production';
  const values = await environmentValues(box, s, { appId: app.id, environment });
  const compiled = compileCompose(app.compose ?? '', { variables: values.plain });
  if (!compiled.ok) {
    const first = compiled.errors[0];
    throw new TargetsError(`the compose file has problems (first at line ${first?.line}: ${first?.message})`);
  }
  const builds = Object.entries(compiled.builds) as [string, ServiceBuild][];
  if (builds.length === 0) throw new TargetsError('no service of the compose file has a "build:" section');
  return builds.map(([service, b]) => {
    const before = previous?.images?.[service];
    return {
      service,
      settings: composeSettings(b),
      ref: `${repository}/${service}:${tag}`,
      // the image without its digest: BuildKit's cache source is a reference to pull
      cacheFrom: before ? [before.split('@')[0] as string] : [],
      cacheKey: `${app.id}/${service}`,
    };
  });
}

/** What the build shows as its plan: the image's, or every service's of a stack, one after the other. */
export function planOf(targets: readonly ImageTarget[], images: readonly BuiltImage[]): BuiltImage['plan'] {
  const [first] = images;
  if (images.length === 1 && !targets[0]?.service && first) return first.plan;
  return {
    programType: 'compose',
    generated: images.some((m) => m.plan.generated),
    dockerfile: images.map((m, i) => `# ── ${targets[i]?.service} ──\n${m.plan.dockerfile.trimEnd()}\n`).join('\n'),
    reason: images.map((m, i) => `${targets[i]?.service}: ${m.plan.reason}`).join('; '),
  };
}
