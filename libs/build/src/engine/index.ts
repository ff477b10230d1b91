export { type Builder, type BuildOptions, type BuildResult, buildImage } from './build.js';
export { PlainProgress } from './buildkit-progress.js';
export {
  decodeStatusResponse,
  ProtobufError,
  type StatusResponse,
  type Vertex,
  type VertexLog,
  type VertexStatus,
} from './buildkit-status.js';
export { type BuildContext, type ContextEntry, type ContextOptions, readContext, tarContext } from './context.js';
export { findSyntaxDirective } from './dockerfile-directives.js';
export {
  BuildError,
  type BuildErrorKind,
  ContextError,
  type ContextErrorKind,
  PushError,
  type PushErrorKind,
} from './errors.js';
export { secretMasker } from './mask.js';
export { type PushOptions, pushImage, type RegistryAuth, splitReference } from './push.js';
