import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configPath, loadConfig, normaliseApiUrl, readConfig, saveConfig } from './config.js';
import { CliError } from './errors.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-cli-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CONFIG = { api: 'http://127.0.0.1:4000', token: `wharf_${'a'.repeat(43)}`, tenant: 'acme' };

describe('configPath', () => {
  it('is WHARF_CONFIG, else under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ WHARF_CONFIG: '/x/c.json', XDG_CONFIG_HOME: '/xdg' })).toBe('/x/c.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/wharf/config.json');
    expect(configPath({})).toBe(path.join(homedir(), '.config/wharf/config.json'));
    // a relative XDG_CONFIG_HOME is invalid by the specification and ignored
    expect(configPath({ XDG_CONFIG_HOME: 'rel' })).toBe(path.join(homedir(), '.config/wharf/config.json'));
  });
});

describe('saveConfig', () => {
  it('writes the file 0600 in a new 0700 directory, whatever the umask', async () => {
    const file = path.join(tempDir(), 'nested/wharf/config.json');
    const old = process.umask(0o000);
    try {
      await saveConfig(file, CONFIG);
    } finally {
      process.umask(old);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(CONFIG);
    expect(await readConfig(file)).toEqual(CONFIG);
  });

  it('tightens an existing file that was readable by others', async () => {
    const file = path.join(tempDir(), 'config.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    await saveConfig(file, CONFIG);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('loadConfig', () => {
  it('says to log in when there is no config, and lets WHARF_TOKEN override the stored token', async () => {
    const file = path.join(tempDir(), 'config.json');
    await expect(loadConfig({ WHARF_CONFIG: file })).rejects.toThrow(/wharf login/);
    await saveConfig(file, { ...CONFIG, api: 'http://127.0.0.1:4000/api/v1/' });
    expect(await loadConfig({ WHARF_CONFIG: file })).toEqual(CONFIG);
    expect((await loadConfig({ WHARF_CONFIG: file, WHARF_TOKEN: 'wharf_other' })).token).toBe('wharf_other');
  });

  it('refuses a damaged file with a way out', async () => {
    const file = path.join(tempDir(), 'config.json');
    writeFileSync(file, '{"api":');
    await expect(loadConfig({ WHARF_CONFIG: file })).rejects.toBeInstanceOf(CliError);
    writeFileSync(file, '{"api":"http://x"}');
    await expect(loadConfig({ WHARF_CONFIG: file })).rejects.toThrow(/run `wharf login` again/);
  });
});

describe('normaliseApiUrl', () => {
  it('keeps the origin (and a path prefix), drops /api/v1 and trailing slashes; refuses other schemes', () => {
    expect(normaliseApiUrl('https://wharf.example.com/')).toBe('https://wharf.example.com');
    expect(normaliseApiUrl('https://example.com/wharf/api/v1')).toBe('https://example.com/wharf');
    expect(() => normaliseApiUrl('ftp://x')).toThrow(CliError);
    expect(() => normaliseApiUrl('not a url')).toThrow(/not a URL/);
  });
});
