export { checkPolicy, compileCompose, DEFAULT_FILE } from './compile.js';
export * from './form/index.js';
export { DependencyCycleError, dependencyGraph, findDependencyCycle, type GraphService } from './graph.js';
export { pendingBuildImage, type ServiceBuild } from './normalise-build.js';
export {
  applyBindings,
  bindingNetworkName,
  bindingPrefix,
  type OverlayResult,
  type ResolvedBinding,
} from './overlay/bindings.js';
export { type ClusterPolicy, ruleEnforced, SAFE_CAPABILITIES } from './policy.js';
export { COMPOSE_SPEC_KEYS } from './spec-keys.js';
export { SUPPORT_TABLE, type Support, type SupportStatus } from './support.js';
export {
  type CompiledStack,
  type CompileOptions,
  type CompileResult,
  type ComposeIssue,
  type DependencyCondition,
  type DependencyGraph,
  type ExternalNeed,
  POLICY_RULES,
  type PolicyRule,
  type SourceLocation,
  type ValueSource,
} from './types.js';
