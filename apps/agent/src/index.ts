export { type AgentOptions, type RunningAgent, startAgent } from './agent.js';
export { ApiClient } from './api-client.js';
export { type BrokerOptions, startBroker } from './broker/broker.js';
export { fingerprint, hostKeyAlgorithms, pinnedHostVerifier, SshConnection, sshDockerRepository } from './broker/ssh-engine.js';
export { type AgentConfig, loadConfig } from './config.js';
export { DockerRepository } from './docker/repository.js';
export {
  AbortedError,
  AgentError,
  ApiError,
  ApiUnavailableError,
  CommandError,
  ConfigError,
  EngineError,
  FatalAuthError,
  ProtocolError,
  ProxyError,
} from './errors.js';
export { type ExecutorContext, executeCommand } from './executor/index.js';
export { adminListenOf, buildCaddyConfig, CaddyProxy, proxyRoutes } from './proxy/caddy.js';
export { type AgentState, readState, writeState } from './state.js';
