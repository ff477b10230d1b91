import { describe, expect, it } from 'vitest';
import { COMMANDS, environmentOf, helpText, parseAssignments, parseCommandLine, tailOf } from './args.js';
import { UsageError } from './errors.js';

describe('parseCommandLine', () => {
  it('asks for help with no arguments, --help, -h and `help <command>`; --version', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['help', 'deploy'])).toEqual({ kind: 'help', command: 'deploy' });
    expect(parseCommandLine(['logs', '--help'])).toEqual({ kind: 'help', command: 'logs' });
    expect(parseCommandLine(['env', 'set', 'A=1', '-h'])).toEqual({ kind: 'help', command: 'env' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
  });

  it('parses each command with its options, short flags and positionals in any order', () => {
    expect(parseCommandLine(['login', '--api', 'http://x:4000', '--token=wharf_abc', '--tenant', 'acme'])).toEqual({
      kind: 'run',
      command: 'login',
      positionals: [],
      values: { api: 'http://x:4000', token: 'wharf_abc', tenant: 'acme' },
    });
    expect(parseCommandLine(['logs', '-f', '--tail', '20', '--service', 'worker'])).toMatchObject({
      command: 'logs',
      values: { follow: true, tail: '20', service: 'worker' },
    });
    expect(parseCommandLine(['env', 'set', 'A=1', '--secret', 'B=x=y', '--app', 'shop', '--deploy'])).toEqual({
      kind: 'run',
      command: 'env',
      positionals: ['set', 'A=1', 'B=x=y'],
      values: { secret: true, app: 'shop', deploy: true },
    });
    expect(parseCommandLine(['rollback', '--to', 'abc', '--env', 'staging'])).toMatchObject({
      values: { to: 'abc', env: 'staging' },
    });
    expect(parseCommandLine(['apps'])).toEqual({ kind: 'run', command: 'apps', positionals: [], values: {} });
  });

  it('refuses unknown commands (with a suggestion), unknown options, missing values and stray arguments', () => {
    expect(() => parseCommandLine(['deplyo'])).toThrow(/unknown command "deplyo" \(did you mean "deploy"\?\)/);
    expect(() => parseCommandLine(['help', 'nope'])).toThrow(UsageError);
    expect(() => parseCommandLine(['deploy', '--force'])).toThrow(/deploy: Unknown option '--force'/);
    expect(() => parseCommandLine(['deploy', '--app'])).toThrow(/--app/);
    expect(() => parseCommandLine(['deploy', '--app='])).toThrow(/--app needs a value/);
    expect(() => parseCommandLine(['deploy', 'extra'])).toThrow(/unexpected argument "extra"/);
    expect(() => parseCommandLine(['apps', '--secret'])).toThrow(UsageError);
    try {
      parseCommandLine(['nope']);
    } catch (e) {
      expect((e as UsageError).exitCode).toBe(2);
    }
  });
});

describe('option values', () => {
  it('checks --env like the API and defaults to production', () => {
    expect(environmentOf({})).toBe('production');
    expect(environmentOf({ env: 'staging-2' })).toBe('staging-2');
    for (const bad of ['Prod', '2nd', 'a--b', 'x-', `a${'b'.repeat(32)}`])
      expect(() => environmentOf({ env: bad })).toThrow(UsageError);
  });

  it('checks --tail', () => {
    expect(tailOf({})).toBeUndefined();
    expect(tailOf({ tail: '0' })).toBe(0);
    expect(tailOf({ tail: '10000' })).toBe(10_000);
    for (const bad of ['-1', '1.5', 'ten', '10001']) expect(() => tailOf({ tail: bad })).toThrow(UsageError);
  });

  it('splits KEY=VALUE at the first =, allows empty values, refuses a missing key or =', () => {
    expect(parseAssignments(['A=1', 'URL=http://x/?a=b', 'EMPTY='])).toEqual([
      { key: 'A', value: '1' },
      { key: 'URL', value: 'http://x/?a=b' },
      { key: 'EMPTY', value: '' },
    ]);
    expect(() => parseAssignments([])).toThrow(UsageError);
    expect(() => parseAssignments(['NOVALUE'])).toThrow(/"NOVALUE" is not KEY=VALUE/);
    expect(() => parseAssignments(['=x'])).toThrow(UsageError);
  });
});

describe('helpText', () => {
  it('lists every command, and every option of each', () => {
    const top = helpText();
    for (const name of Object.keys(COMMANDS)) expect(top).toContain(`  ${name}`);
    const logs = helpText('logs');
    expect(logs).toContain('Usage: wharf logs');
    for (const flag of ['-f, --follow', '--app NAME', '--env ENV', '--service S', '--tail N', '-h, --help'])
      expect(logs).toContain(flag);
  });
});
