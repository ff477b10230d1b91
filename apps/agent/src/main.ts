import { type AgentOptions, type RunningAgent, startAgent } from './agent.js';
import { startBroker } from './broker/broker.js';
import { loadConfig } from './config.js';
import { ConfigError, errorMessage, FatalAuthError } from './errors.js';
import { createLogger } from './logger.js';

/*
 * Process entry: configuration from the environment, then the agent until SIGTERM/SIGINT (graceful stop, exit 0).
 * Exit 2: bad configuration; exit 3: the API refused the credential or join token (revoked); exit 1: anything else.
 */

const log = createLogger();

function exit(code: number, message: string): never {
  log.fatal({ exitCode: code }, message);
  process.stderr.write(`wharf-agent: ${message}\n`);
  process.exit(code);
}

function exitCodeOf(err: unknown): number {
  if (err instanceof ConfigError) return 2;
  if (err instanceof FatalAuthError) return 3;
  return 1;
}

async function main(): Promise<void> {
  let options: AgentOptions;
  let broker = false;
  try {
    const config = loadConfig(process.env);
    options = {
      apiUrl: config.apiUrl,
      ...(config.joinToken !== undefined ? { joinToken: config.joinToken } : {}),
      statePath: config.statePath,
      name: config.name,
      dockerSocket: config.dockerSocket,
      ...(config.caddyAdminUrl !== undefined ? { caddyAdminUrl: config.caddyAdminUrl } : {}),
      proxyListen: config.proxyListen,
      heartbeatMs: config.heartbeatMs,
      statsIntervalMs: config.statsIntervalMs,
      rotate: config.rotate,
      hostAgent: config.hostAgent,
      ...(config.advertiseAddr !== undefined ? { advertiseAddr: config.advertiseAddr } : {}),
      log,
    };
    broker = config.broker === true;
  } catch (err) {
    exit(exitCodeOf(err), errorMessage(err));
  }
  let agent: RunningAgent | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    if (!agent) process.exit(0);
    agent.stop().then(
      () => process.exit(0),
      (err: unknown) => exit(1, `error while stopping: ${errorMessage(err)}`),
    );
  };
  // installed before the agent starts: a first registration may wait a long time for an unreachable API
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // a broker (broker mode) has no engine: it runs the host agents of the ssh hosts it is given
  agent = broker
    ? await startBroker({
        apiUrl: options.apiUrl,
        ...(options.joinToken !== undefined ? { joinToken: options.joinToken } : {}),
        statePath: options.statePath,
        name: options.name,
        ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
        log,
      })
    : await startAgent(options);
  if (stopping) {
    await agent.stop();
    process.exit(0);
  }
  await agent.done.catch((err: unknown) => {
    const message =
      err instanceof FatalAuthError ? `${errorMessage(err)} (credential revoked or join token invalid)` : errorMessage(err);
    exit(exitCodeOf(err), message);
  });
}

main().catch((err: unknown) => exit(exitCodeOf(err), errorMessage(err)));
