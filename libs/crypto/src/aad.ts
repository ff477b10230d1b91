/**
 * The additional authenticated data each kind of sealed value is bound to: a sealed value copied to another row,
 * tenant or purpose fails to open. Changing one of these makes every value sealed under it unreadable.
 */
export const AAD = {
  /** A registry password of a tenant, for one registry host. */
  registry: (tenantId: string, server: string) => `registry:${tenantId}:${server}`,
  /** A secret variable of an app's environment (production keeps the form it had before environments). */
  variable: (tenantId: string, appId: string, key: string, environment = 'production') =>
    environment === 'production' ? `variable:${tenantId}:${appId}:${key}` : `variable:${tenantId}:${appId}:${environment}:${key}`,
  /** The secrets snapshot of a deployment (JSON map) of an app. */
  deploymentSecrets: (tenantId: string, appId: string) => `deployment-secrets:${tenantId}:${appId}`,
  /** A secret value inside a stored agent command. */
  agentCommand: (tenantId: string) => `agent-command:${tenantId}`,
  /** The result of an agent command that carries secrets (Swarm join tokens), bound to the command's row. */
  commandResult: (commandId: string) => `command-result:${commandId}`,
  /** The HTTPS token of an app's git source. */
  sourceToken: (tenantId: string, appId: string) => `source-token:${tenantId}:${appId}`,
  /** The private half of an app's deploy key. */
  deployKey: (tenantId: string, appId: string) => `deploy-key:${tenantId}:${appId}`,
  /** An app's secret build args (JSON map). */
  buildArgs: (tenantId: string, appId: string) => `build-args:${tenantId}:${appId}`,
  /** The secret of an app's push webhook. */
  hookSecret: (tenantId: string, appId: string) => `hook-secret:${tenantId}:${appId}`,
  /** The secret of a cloud account's access key (envelope-sealed), bound to the account's row. */
  cloudAccount: (tenantId: string, accountId: string) => `cloud-account:${tenantId}:${accountId}`,
  /** The token of a tenant's GitHub, GitLab or Gitee account. */
  gitConnection: (tenantId: string, provider: string, account: string) => `git-connection:${tenantId}:${provider}:${account}`,
} as const;
