import { describe, expect, it } from 'vitest';
import type { AppSource } from './source-body';
import { ArgsError, formatArgs, parseArgs, readCreateSource, readSourceForm, withSettings } from './source-body';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

const SOURCE: AppSource = {
  repository: 'https://git.example.com/acme/shop.git',
  auth: 'connection',
  connectionId: '00000000-0000-4000-8000-000000000001',
  deployKey: null,
  region: 'cn',
  settings: { programType: 'auto', dockerfilePath: 'Dockerfile', context: '.', buildArgs: {}, timeoutMinutes: 30 },
  secretBuildArgs: ['NPM_TOKEN'],
  tracking: { production: 'main' },
  webhook: { url: 'https://wharf.example.com/api/v1/hooks/abc' },
};

describe('parseArgs', () => {
  it('reads KEY=value lines, values as written, skipping blanks and comments', () => {
    expect(parseArgs('A=1\n\n# note\nB = two=2 \nC=')).toEqual({ A: '1', B: ' two=2 ', C: '' });
    expect(formatArgs({ A: '1', B: 'x=y' })).toBe('A=1\nB=x=y');
  });

  it('names the lines that are not KEY=value', () => {
    const error = (() => {
      try {
        parseArgs('A=1\noops\n=x', 'secretBuildArgs');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ArgsError);
    expect(error).toMatchObject({ field: 'secretBuildArgs', lines: [2, 3] });
  });
});

describe('readCreateSource', () => {
  it('reads a pasted URL with a token, the tracked branch and the settings', () => {
    const body = readCreateSource(
      form({
        repository: ' https://git.example.com/acme/shop.git ',
        access: 'token',
        token: 'tok',
        branch: 'release',
        region: 'global',
        programType: 'node',
        dockerfilePath: '',
        context: 'app',
        target: '',
        buildArgs: 'NODE_ENV=production',
        secretBuildArgs: 'NPM_TOKEN=s3cret',
      }),
    );
    expect(body).toEqual({
      repository: 'https://git.example.com/acme/shop.git',
      auth: { kind: 'token', token: 'tok' },
      region: 'global',
      settings: { programType: 'node', dockerfilePath: 'Dockerfile', context: 'app', buildArgs: { NODE_ENV: 'production' } },
      secretBuildArgs: { NPM_TOKEN: 's3cret' },
      tracking: { production: 'release' },
    });
  });

  it('leaves out what is not given: no secrets, no branch (the API defaults to main)', () => {
    const body = readCreateSource(form({ repository: 'git@example.com:a/b.git', access: 'ssh', programType: 'bogus' }));
    expect(body.auth).toEqual({ kind: 'ssh' });
    expect(body.settings?.programType).toBe('auto');
    expect(body).not.toHaveProperty('secretBuildArgs');
    expect(body).not.toHaveProperty('tracking');
  });
});

describe('readSourceForm', () => {
  it('tracks a branch per environment (none when empty) and replaces secrets only when asked', () => {
    const fields = {
      repository: SOURCE.repository,
      access: 'connection',
      connectionId: SOURCE.connectionId ?? '',
      region: 'cn',
      'track.production': 'main',
      'track.staging': '',
      dockerfile: 'FROM scratch\n',
      timeoutMinutes: '20',
      secretBuildArgs: 'NPM_TOKEN=new',
    };
    const kept = readSourceForm(form(fields), ['production', 'staging']);
    expect(kept.tracking).toEqual({ production: 'main', staging: null });
    expect(kept.settings).toMatchObject({ dockerfile: 'FROM scratch\n', timeoutMinutes: 20 });
    expect(kept).not.toHaveProperty('secretBuildArgs');
    const replaced = readSourceForm(form({ ...fields, replaceSecrets: 'on' }), ['production']);
    expect(replaced.secretBuildArgs).toEqual({ NPM_TOKEN: 'new' });
  });
});

describe('withSettings', () => {
  const settings = { ...SOURCE.settings, dockerfile: 'FROM node:22\n' };

  it('keeps the access of the source, and its secrets and tracking untouched', () => {
    expect(withSettings(SOURCE, settings)).toEqual({
      repository: SOURCE.repository,
      auth: { kind: 'connection', connectionId: SOURCE.connectionId },
      region: 'cn',
      settings,
    });
  });

  it('needs the token again for a source reached with one', () => {
    const tokenSource: AppSource = { ...SOURCE, auth: 'token', connectionId: null };
    expect(withSettings(tokenSource, settings)).toBeUndefined();
    expect(withSettings(tokenSource, settings, 'tok')?.auth).toEqual({ kind: 'token', token: 'tok' });
  });
});
