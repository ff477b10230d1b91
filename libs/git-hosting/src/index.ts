export { hostingClient } from './client.js';
export { HostingError, type HostingErrorKind } from './errors.js';
export { giteeClient } from './gitee.js';
export { githubClient } from './github.js';
export { gitlabClient } from './gitlab.js';
export { DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS } from './http.js';
export { type IgnoredDelivery, isBranchName, type PushEvent } from './push.js';
export {
  DEFAULT_BASE_URLS,
  GIT_PROVIDERS,
  type GitHostingClient,
  type GitProvider,
  type HostingAccount,
  type HostingBranch,
  type HostingClientOptions,
  type HostingRepository,
  PROVIDER_NAMES,
} from './types.js';
export {
  DEFAULT_WEBHOOK_MAX_AGE_MS,
  DEFAULT_WEBHOOK_MAX_FUTURE_MS,
  giteeSignature,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookRefusal,
  type WebhookRequest,
  type WebhookVerification,
} from './webhook.js';
