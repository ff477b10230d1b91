import path from 'node:path';
import {
  type BaseImages,
  type BuildSettings,
  buildImage,
  planBuild,
  pushImage,
  type RegistryAuth,
  readContext,
} from '@wharf/build';
import type { ServiceBuild } from '@wharf/compose';
import type Docker from 'dockerode';

/** What one image of a build is made from, and where it goes. */
export interface ImageTarget {
  /** The service it is for (a compose stack's), or undefined for an app of one image. */
  service?: string;
  settings: BuildSettings;
  /** `<registry>/<tenant>/<app>[/<service>]:<tag>` */
  ref: string;
  /** Earlier images of the same target whose layers may be reused. */
  cacheFrom: string[];
  /** Names the context BuildKit keeps between builds of this target (it then receives only what changed). */
  cacheKey: string;
}

export interface ImageBuildEnv {
  docker: Docker;
  bases: BaseImages;
  builder: 'auto' | 'buildkit' | 'legacy';
  limits: { cpuMillis: number; memoryMiB: number };
  contextMaxBytes: number;
  registryAuth?: RegistryAuth;
  labels: Record<string, string>;
  /** Secret build args: passed to the build, masked in its log. */
  secrets: Record<string, string>;
  signal: AbortSignal;
  say: (line: string) => void;
}

export interface BuiltImage {
  ref: string;
  digest: string;
  plan: { programType: string; generated: boolean; dockerfile: string; reason: string };
}

/**
 * The build arg that keeps the repository's `.git` in the context. Without it the directory is left out, as BuildKit
 * leaves it out of a git URL's context (same name, same meaning): the image does not carry the repository's history,
 * and a new commit does not change files the engine must compare and receive again.
 */
const KEEP_GIT_DIR_ARG = 'BUILDKIT_CONTEXT_KEEP_GIT_DIR';

/** One image: plan it from the checkout, build it on the engine, push it; what is built is the plan's Dockerfile text. */
export async function buildAndPush(srcDir: string, target: ImageTarget, env: ImageBuildEnv): Promise<BuiltImage> {
  const plan = await planBuild(srcDir, target.settings, env.bases);
  const what = target.service ? `${target.service}: ` : '';
  env.say(`${what}plan: ${plan.reason}${plan.generated ? ' (Wharf wrote the Dockerfile: see the build’s plan)' : ''}`);
  const context = await readContext({
    dir: path.join(srcDir, plan.context),
    // the repository's own Dockerfile may lie outside the context: the text goes in at the plan's path
    dockerfile: { path: plan.dockerfilePath, content: plan.dockerfile },
    maxBytes: env.contextMaxBytes,
    exclude: plan.buildArgs[KEEP_GIT_DIR_ARG] === '1' ? [] : ['.git'],
  });
  env.say(`${what}building ${target.ref}`);
  const built = await buildImage(env.docker, {
    context,
    cacheKey: target.cacheKey,
    tags: [target.ref],
    ...(plan.target ? { target: plan.target } : {}),
    buildArgs: { ...plan.buildArgs, ...env.secrets, BUILDKIT_INLINE_CACHE: '1' },
    secrets: Object.values(env.secrets),
    cacheFrom: target.cacheFrom,
    limits: env.limits,
    labels: { ...env.labels, ...(target.service ? { 'org.wharf.service': target.service } : {}) },
    builder: env.builder,
    signal: env.signal,
    onLog: env.say,
  });
  env.say(`${what}built ${built.imageId} with ${built.builder === 'buildkit' ? 'BuildKit' : 'the classic builder'}; pushing`);
  const pushed = await pushImage(env.docker, target.ref, {
    ...(env.registryAuth ? { auth: env.registryAuth } : {}),
    signal: env.signal,
    onLog: env.say,
  });
  env.say(`${what}pushed ${target.ref}@${pushed.digest}`);
  return {
    ref: target.ref,
    digest: pushed.digest,
    plan: { programType: plan.programType, generated: plan.generated, dockerfile: plan.dockerfile, reason: plan.reason },
  };
}

/**
 * A compose service's `build:` as build settings: compose's `dockerfile` is relative to the context; an inline
 * Dockerfile wins over any file (it is given at a path no repository has, so the plan takes the text as written).
 */
export function composeSettings(build: ServiceBuild): BuildSettings {
  const dockerfile = build.dockerfileInline ? '.wharf-inline.Dockerfile' : (build.dockerfile ?? 'Dockerfile');
  return {
    programType: 'auto',
    context: build.context,
    dockerfilePath: path.posix.join(build.context, dockerfile),
    ...(build.target ? { target: build.target } : {}),
    buildArgs: build.args,
    ...(build.dockerfileInline ? { dockerfile: build.dockerfileInline } : {}),
  };
}
