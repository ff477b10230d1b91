import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type CommandName = 'login' | 'apps' | 'deploy' | 'logs' | 'env' | 'rollback';

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** `--name VALUE` in the help. */
  value?: string;
  description: string;
}

interface CommandSpec {
  usage: string;
  summary: string;
  /** Positionals it takes: none, or the usage's words (`env` takes a subcommand and its arguments). */
  positionals: boolean;
  options: Record<string, OptionSpec>;
  notes?: string;
}

const APP = { type: 'string', value: 'NAME', description: 'the app (default: .wharf.json, else the directory name)' } as const;
const ENV = { type: 'string', value: 'ENV', description: 'the environment (default: production)' } as const;

export const COMMANDS: Record<CommandName, CommandSpec> = {
  login: {
    usage: 'wharf login [--api URL] [--token TOKEN] [--tenant SLUG]',
    summary: 'Store the API URL, a personal API token and the default tenant',
    positionals: false,
    options: {
      api: { type: 'string', value: 'URL', description: 'the Wharf API (default: the stored one, else http://127.0.0.1:4000)' },
      token: {
        type: 'string',
        value: 'TOKEN',
        description: 'a personal API token (wharf_…); default $WHARF_TOKEN, else asked for',
      },
      tenant: { type: 'string', value: 'SLUG', description: "the tenant to act in (default: the token's tenant)" },
    },
    notes:
      'The config is written to $WHARF_CONFIG, else $XDG_CONFIG_HOME/wharf/config.json, else ~/.config/wharf/config.json (mode 0600).',
  },
  apps: {
    usage: 'wharf apps',
    summary: "List the tenant's apps: name, kind, status, URL",
    positionals: false,
    options: {},
  },
  deploy: {
    usage: 'wharf deploy [--app NAME] [--env ENV]',
    summary: 'Upload the current directory, build it, deploy it and follow both',
    positionals: false,
    options: { app: APP, env: ENV },
    notes:
      'Creates the app on the first deploy and remembers its name in .wharf.json. Files matching .dockerignore and .git are not sent.\nCtrl-C while it builds cancels the build.',
  },
  logs: {
    usage: 'wharf logs [-f] [--app NAME] [--env ENV] [--service S] [--tail N]',
    summary: "Print a service's log lines (every replica)",
    positionals: false,
    options: {
      follow: { type: 'boolean', short: 'f', description: 'keep streaming new lines' },
      app: APP,
      env: ENV,
      service: { type: 'string', value: 'S', description: 'the service (default: web)' },
      tail: { type: 'string', value: 'N', description: 'lines from the end of each log (default: 200)' },
    },
  },
  env: {
    usage: 'wharf env [set KEY=VALUE… [--secret] | unset KEY…] [--app NAME] [--env ENV] [--deploy]',
    summary: "List, set or remove an environment's variables and secrets",
    positionals: true,
    options: {
      secret: { type: 'boolean', description: 'store the values as secrets (never shown again)' },
      deploy: { type: 'boolean', description: 'deploy the environment afterwards, so the change applies' },
      app: APP,
      env: ENV,
    },
    notes: 'Changes take effect with the next deployment (`--deploy` starts one).',
  },
  rollback: {
    usage: 'wharf rollback [--app NAME] [--env ENV] [--to DEPLOYMENT_ID]',
    summary: 'Deploy an earlier revision again and follow it',
    positionals: false,
    options: {
      app: APP,
      env: ENV,
      to: { type: 'string', value: 'ID', description: 'the deployment to go back to (default: the live one before the current)' },
    },
  },
};

export type ParsedCommand =
  | { kind: 'help'; command?: CommandName }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: CommandName;
      positionals: string[];
      values: Record<string, string | boolean | undefined>;
    };

const isCommand = (s: string): s is CommandName => Object.hasOwn(COMMANDS, s);

/** `wharf <command> [arguments]`: which command, its options and positionals, or help / version. */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}"`);
    return topic ? { kind: 'help', command: topic } : { kind: 'help' };
  }
  if (first === '--version' || first === '-v' || first === 'version') return { kind: 'version' };
  if (!isCommand(first)) throw new UsageError(`unknown command "${first}"${suggest(first)}`);
  const spec = COMMANDS[first];
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${first}: ${(e as Error).message.replace(/\. To specify a positional.*$/s, '')}`);
  }
  if (parsed.values.help) return { kind: 'help', command: first };
  if (!spec.positionals && parsed.positionals.length > 0) {
    throw new UsageError(`${first}: unexpected argument "${parsed.positionals[0]}"`);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [k, v] of Object.entries(parsed.values)) if (typeof v === 'string' || typeof v === 'boolean') values[k] = v;
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'string' && v === '') throw new UsageError(`${first}: --${k} needs a value`);
  }
  return { kind: 'run', command: first, positionals: parsed.positionals, values };
}

function suggest(word: string): string {
  const close = Object.keys(COMMANDS).find((c) => c.startsWith(word.slice(0, 2)));
  return close ? ` (did you mean "${close}"?)` : '';
}

export function str(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

const ENV_NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** `--env`, checked the way the API checks environment names (default production). */
export function environmentOf(values: Record<string, string | boolean | undefined>): string {
  const env = str(values, 'env') ?? 'production';
  if (!ENV_NAME.test(env) || env.includes('--')) {
    throw new UsageError(`--env ${env}: lowercase letters, digits and hyphens, starting with a letter (at most 32)`);
  }
  return env;
}

/** `--tail N`: a whole number from 0 to 10000. */
export function tailOf(values: Record<string, string | boolean | undefined>): number | undefined {
  const raw = str(values, 'tail');
  if (raw === undefined) return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 10_000) throw new UsageError(`--tail ${raw}: a whole number from 0 to 10000`);
  return Number(raw);
}

/** `KEY=VALUE` arguments of `env set` (the value may contain `=`; it may be empty). */
export function parseAssignments(args: readonly string[]): { key: string; value: string }[] {
  if (args.length === 0) throw new UsageError('env set: give at least one KEY=VALUE');
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`env set: "${arg}" is not KEY=VALUE`);
    return { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
  });
}

export function helpText(command?: CommandName): string {
  if (!command) {
    const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
    return [
      'wharf: deploy to Wharf from the command line',
      '',
      'Usage: wharf <command> [options]',
      '',
      'Commands:',
      ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
      '',
      'Run `wharf <command> --help` for its options. `wharf --version` prints the version.',
      '',
    ].join('\n');
  }
  const spec = COMMANDS[command];
  const flags = Object.entries(spec.options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`,
    o.description,
  ]);
  flags.push(['-h, --help', 'show this help']);
  const width = Math.max(...flags.map(([f]) => f?.length ?? 0));
  return [
    spec.summary,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Options:',
    ...flags.map(([f, d]) => `  ${(f ?? '').padEnd(width)}  ${d}`),
    ...(spec.notes ? ['', spec.notes] : []),
    '',
  ].join('\n');
}
