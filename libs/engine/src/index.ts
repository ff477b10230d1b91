export { type DiffOptions, diffServiceSpec, type ServiceDiff } from './diff.js';
export { dependencyCycle, dependencyLayers } from './graph.js';
export { type ImageAppForm, imageAppStack } from './image-app.js';
export { ImageRef, type ImageReference, normaliseImage, parseImageReference } from './image-ref.js';
export {
  LABEL_APP,
  LABEL_CLUSTER,
  LABEL_DEPLOYMENT,
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_OBJECT,
  LABEL_ROUTE_HOST,
  LABEL_ROUTE_PORT,
  LABEL_SERVICE,
  LABEL_TENANT,
  type LabelScope,
  labelFilters,
  MANAGED_BY,
  wharfLabels,
} from './labels.js';
export {
  FileObjectSpec,
  MAX_SERVICES,
  NetworkSpec,
  ServiceSpec,
  type ServiceSpecInput,
  StackSpec,
  type StackSpecInput,
  VolumeSpec,
} from './model.js';
export {
  configName,
  contentHash,
  type EnvironmentRef,
  environmentNetworkName,
  InvalidNameError,
  MAX_NAME_LENGTH,
  routeHost,
  secretName,
  serviceName,
  stackNetworkName,
  tenantKey,
  volumeName,
} from './names.js';
export {
  Argv,
  Capability,
  Dependency,
  DnsLabel,
  Env,
  EnvKey,
  Healthcheck,
  HostAccess,
  Hostname,
  HTTP_PROBES,
  IpAddress,
  Labels,
  ObjectName,
  Placement,
  Port,
  Resources,
  RestartPolicy,
  UpdatePolicy,
  VolumeMount,
} from './service-parts.js';
export { diffStacks, type StackChanges, serviceChanges } from './stack-diff.js';
export {
  type RenderContext,
  RenderError,
  toSwarmConfig,
  toSwarmNetwork,
  toSwarmSecret,
  toSwarmService,
  withObjectIds,
} from './swarm.js';
export { type StackUsage, stackUsage } from './usage.js';
