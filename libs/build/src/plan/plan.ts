import path from 'node:path';
import { detectProgram, LOOKED_FOR } from './detect.js';
import { dockerfileStages, exposedPort } from './dockerfile-text.js';
import { renderDockerfile } from './dockerfiles.js';
import { MAX_TEXT_BYTES, normaliseRelativePath, RepoFiles } from './repo-files.js';
import {
  type BaseImages,
  type BuildPlan,
  BuildPlanError,
  type BuildSettings,
  GENERATED_PORT,
  PROGRAM_TYPES,
  type ProgramType,
} from './types.js';

/*
 * planBuild: what to build for a checked-out repository. With programType `auto`, the repository's Dockerfile when
 * there is one at `dockerfilePath`, else a Dockerfile Wharf writes for the detected program (or the user's edited
 * version of it). Reads the repository only through paths that stay inside it; never runs anything.
 */

const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_BUILD_ARGS = 100;
const MAX_BUILD_ARG_VALUE = 32 * 1024;
const TARGET = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Names a Dockerfile that is not a file of the context may take in the context archive. */
const FREE_DOCKERFILE_NAMES = ['Dockerfile', 'Dockerfile.wharf', 'Dockerfile.wharf-1', 'Dockerfile.wharf-2'];

const LABELS: Record<ProgramType, string> = {
  dockerfile: 'Dockerfile',
  node: 'Node.js',
  python: 'Python',
  go: 'Go',
  java: 'Java',
  static: 'static site',
};

function checkProgramType(value: string): ProgramType | 'auto' {
  if (value === 'auto' || (PROGRAM_TYPES as readonly string[]).includes(value)) return value as ProgramType | 'auto';
  throw new BuildPlanError('programType', `unknown program type ${JSON.stringify(value)}: auto, ${PROGRAM_TYPES.join(', ')}`);
}

function checkBuildArgs(args: Record<string, string>): Record<string, string> {
  const entries = Object.entries(args);
  if (entries.length > MAX_BUILD_ARGS) throw new BuildPlanError('buildArgs', `at most ${MAX_BUILD_ARGS} build arguments`);
  for (const [name, value] of entries) {
    if (!BUILD_ARG_NAME.test(name)) {
      throw new BuildPlanError('buildArgs', `build argument name ${JSON.stringify(name)} must match ${BUILD_ARG_NAME.source}`);
    }
    if (typeof value !== 'string') throw new BuildPlanError('buildArgs', `build argument ${name} must be a string`);
    if (value.includes('\0')) throw new BuildPlanError('buildArgs', `build argument ${name} must not contain NUL characters`);
    if (value.length > MAX_BUILD_ARG_VALUE) {
      throw new BuildPlanError('buildArgs', `build argument ${name} is longer than ${MAX_BUILD_ARG_VALUE} characters`);
    }
  }
  return Object.fromEntries(entries);
}

function checkTarget(target: string | undefined): string | undefined {
  if (!target) return undefined; // also null from stored settings
  if (!TARGET.test(target)) throw new BuildPlanError('target', `target ${JSON.stringify(target)} is not a stage name`);
  return target;
}

/** Checks Dockerfile text against the plan: it has a FROM, and `target` names one of its stages. The port. */
function checkDockerfile(field: 'dockerfilePath' | 'dockerfile', what: string, text: string, target?: string) {
  if (text.includes('\0')) throw new BuildPlanError(field, `${what} must not contain NUL characters`);
  if (text.length > MAX_TEXT_BYTES) throw new BuildPlanError(field, `${what} is longer than ${MAX_TEXT_BYTES} characters`);
  const stages = dockerfileStages(text);
  if (stages.length === 0) throw new BuildPlanError(field, `${what} has no FROM instruction`);
  let stage = stages.at(-1);
  if (target !== undefined) {
    stage = stages.find((s) => s.name === target.toLowerCase());
    if (!stage) {
      const names = stages.flatMap((s) => (s.name ? [s.name] : []));
      throw new BuildPlanError(
        'target',
        `${what} has no stage named ${target} (its named stages: ${names.join(', ') || 'none'})`,
      );
    }
  }
  return stage ? exposedPort(stage) : undefined;
}

export async function planBuild(root: string, settings: BuildSettings, bases: BaseImages): Promise<BuildPlan> {
  const programType = checkProgramType(settings.programType ?? 'auto');
  const context = normaliseRelativePath('context', settings.context ?? '.', 'the build context');
  const dockerfilePath = normaliseRelativePath('dockerfilePath', settings.dockerfilePath ?? 'Dockerfile', 'the Dockerfile path');
  if (dockerfilePath === '.')
    throw new BuildPlanError('dockerfilePath', 'the Dockerfile path names the repository root, not a file');
  const buildArgs = checkBuildArgs(settings.buildArgs ?? {});
  const target = checkTarget(settings.target);
  const text = settings.dockerfile;
  const override = typeof text === 'string' && text.trim() !== '' ? text : undefined;

  const files = await RepoFiles.open(root);
  if ((await files.kind('context', context)) !== 'directory') {
    throw new BuildPlanError('context', `the build context ${context} is not a directory of the repository`);
  }
  const common = { context, buildArgs, ...(target === undefined ? {} : { target }) };
  const elsewhere = () => files.freeName(context, FREE_DOCKERFILE_NAMES);

  if (programType === 'auto' || programType === 'dockerfile') {
    const text = await files.readText('dockerfilePath', dockerfilePath);
    if (text !== undefined) {
      const port = checkDockerfile('dockerfilePath', dockerfilePath, text, target);
      const relative = path.posix.relative(context, dockerfilePath);
      const unused =
        override === undefined ? '' : ' (the Dockerfile text in the build settings is not used while the repository has one)';
      return {
        ...common,
        programType: 'dockerfile',
        generated: false,
        source: 'repository',
        dockerfile: text,
        dockerfilePath: relative.startsWith('../') ? await elsewhere() : relative,
        ...(port === undefined ? {} : { port }),
        reason: `Dockerfile found at ${dockerfilePath}${unused}`,
      };
    }
    if (programType === 'dockerfile') {
      throw new BuildPlanError('dockerfilePath', `program type dockerfile was chosen but there is no file at ${dockerfilePath}`);
    }
  }

  if (override !== undefined) {
    const port = checkDockerfile('dockerfile', 'the Dockerfile in the build settings', override, target);
    const type = programType === 'auto' ? 'dockerfile' : programType;
    return {
      ...common,
      programType: type,
      generated: false,
      source: 'override',
      dockerfile: override,
      dockerfilePath: await elsewhere(),
      ...(port === undefined ? {} : { port }),
      reason: `your own Dockerfile from the build settings${type === 'dockerfile' ? '' : ` (for a ${LABELS[type]} program)`}`,
    };
  }

  const detected = await detectProgram(files, context, programType === 'auto' ? undefined : programType);
  if (!detected) {
    throw new BuildPlanError(
      'repository',
      `no Dockerfile and no recognised program: looked for ${dockerfilePath} (Dockerfile) and, in ${context}, ${LOOKED_FOR}`,
    );
  }
  const rendered = renderDockerfile(detected.detection, bases);
  checkDockerfile('dockerfile', 'the generated Dockerfile', rendered.dockerfile, target);
  return {
    ...common,
    programType: detected.detection.type,
    generated: true,
    source: 'generated',
    dockerfile: rendered.dockerfile,
    dockerfilePath: await elsewhere(),
    port: GENERATED_PORT,
    reason: `${detected.evidence}${context === '.' ? '' : ` in ${context}`}: ${rendered.summary}`,
  };
}
