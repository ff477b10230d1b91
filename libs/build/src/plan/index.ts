export { type DockerfileStage, dockerfileStages, exposedPort } from './dockerfile-text.js';
export { planBuild } from './plan.js';
export { normaliseRelativePath } from './repo-files.js';
export {
  type BaseImages,
  type BuildPlan,
  BuildPlanError,
  type BuildPlanField,
  type BuildSettings,
  DEFAULT_BUILD_SETTINGS,
  type DockerfileSource,
  GENERATED_PORT,
  type GeneratedProgramType,
  LOCAL_BASE_IMAGES,
  PROGRAM_TYPES,
  type ProgramType,
} from './types.js';
