export {
  MANIFEST_ACCEPT,
  type RegistryClient,
  type RegistryClientOptions,
  RegistryError,
  type RegistryErrorKind,
  registryClient,
} from './registry-client.js';
export { applyRetention, type RetentionResult } from './retention.js';
