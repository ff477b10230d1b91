#!/usr/bin/env node
import { helpText, parseCommandLine } from './args.js';
import { ApiClient } from './client.js';
import { listApps } from './commands/apps.js';
import { deploy } from './commands/deploy.js';
import { env } from './commands/env.js';
import { login } from './commands/login.js';
import { logs } from './commands/logs.js';
import { rollback } from './commands/rollback.js';
import { loadConfig } from './config.js';
import { CliError, UsageError } from './errors.js';
import { red } from './output.js';
import { VERSION } from './version.js';

/** Runs one command line; resolves to the process's exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(helpText(parsed.command));
    return 0;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { command, positionals, values } = parsed;
  if (command === 'login') {
    await login(values);
    return 0;
  }
  const config = await loadConfig();
  const client = new ApiClient(config.api, config.token, config.tenant);
  switch (command) {
    case 'apps':
      await listApps(client);
      break;
    case 'deploy':
      await deploy(client, values);
      break;
    case 'logs':
      await logs(client, values);
      break;
    case 'env':
      await env(client, positionals, values);
      break;
    case 'rollback':
      await rollback(client, values);
      break;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`${red('error:')} ${err.message}\nRun \`wharf --help\` for usage.\n`);
    else if (err instanceof CliError) process.stderr.write(`${red('error:')} ${err.message}\n`);
    else process.stderr.write(`${red('error:')} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
