/*
 * Typed errors of the agent. Each says what went wrong in words a person running the agent can act on; none ever
 * carries a credential, a join token or a secret value.
 */

export class AgentError extends Error {
  override readonly name: string = 'AgentError';
}

/** The environment the agent was started with is unusable (missing or malformed variable, unreadable state file). */
export class ConfigError extends AgentError {
  override readonly name = 'ConfigError';
}

/** The API refused the agent's credential or join token (401/403): retrying cannot help, the process must stop. */
export class FatalAuthError extends AgentError {
  override readonly name = 'FatalAuthError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API answered with a client error other than 401/403 (bad request, unknown command…): not retried. */
export class ApiError extends AgentError {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API could not be reached or answered 5xx/429: worth retrying. */
export class ApiUnavailableError extends AgentError {
  override readonly name = 'ApiUnavailableError';
}

/** The API answered something that does not match the protocol. */
export class ProtocolError extends AgentError {
  override readonly name = 'ProtocolError';
}

/** A Docker Engine API call failed. `statusCode` is the engine's HTTP status when it answered. */
export class EngineError extends AgentError {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** A command could not be carried out (unknown service, render error…): reported as the command's error. */
export class CommandError extends AgentError {
  override readonly name = 'CommandError';
}

/** The agent is stopping: the work in progress is abandoned (the API hands unfinished commands over again). */
export class AbortedError extends AgentError {
  override readonly name = 'AbortedError';
  constructor(message = 'aborted') {
    super(message);
  }
}

/** The message of anything thrown, for logs and command results. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return err instanceof AbortedError || (err instanceof Error && err.name === 'AbortError') || signal?.aborted === true;
}

/** Caddy's admin API refused or could not be reached. */
export class ProxyError extends AgentError {
  override readonly name = 'ProxyError';
}
