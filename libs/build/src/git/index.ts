export { type DeployKey, generateDeployKey } from './deploy-key.js';
export { GitError, type GitErrorKind } from './errors.js';
export { type FetchedSource, type FetchSourceOptions, fetchSource, type GitCallOptions, resolveRef } from './fetch.js';
export { DEFAULT_TOKEN_USERNAME, type GitAuth } from './run.js';
export {
  type ParsedRepositoryUrl,
  parseRepositoryUrl,
  type RepositoryTransport,
  validateBranchName,
  validateCommit,
} from './validate.js';
