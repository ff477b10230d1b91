import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pkg, plan, refusal } from '../testing/plan-repo.js';
import { planBuild } from './plan.js';
import { type BuildSettings, DEFAULT_BUILD_SETTINGS, LOCAL_BASE_IMAGES } from './types.js';

const SAMPLES = fileURLToPath(new URL('../../../../tests/fixtures/build-samples/', import.meta.url));

describe('planBuild: the repository Dockerfile, overrides and settings', () => {
  const DOCKERFILE = 'FROM registry.test/x AS deps\nRUN true\n\nFROM registry.test/y\nEXPOSE 3000/tcp 4000\n';

  it('uses the Dockerfile when there is one, with the port it exposes', async () => {
    const p = await plan({ Dockerfile: DOCKERFILE, 'package.json': pkg({ main: 'a.js' }) });
    expect(p).toEqual({
      programType: 'dockerfile',
      generated: false,
      source: 'repository',
      dockerfile: DOCKERFILE,
      dockerfilePath: 'Dockerfile',
      context: '.',
      buildArgs: {},
      port: 3000,
      reason: 'Dockerfile found at Dockerfile',
    });
  });

  it('finds the Dockerfile relative to the repository root and gives its path relative to the context', async () => {
    const p = await plan(
      { 'apps/web/docker/web.Dockerfile': DOCKERFILE },
      { context: 'apps/web/', dockerfilePath: './apps/web/docker/web.Dockerfile' },
    );
    expect(p).toMatchObject({ context: 'apps/web', dockerfilePath: 'docker/web.Dockerfile', source: 'repository' });
  });

  it('gives a Dockerfile outside the context a name no file of the context has', async () => {
    const p = await plan(
      { 'docker/Dockerfile': DOCKERFILE, 'web/Dockerfile': 'FROM other\n' },
      { context: 'web', dockerfilePath: 'docker/Dockerfile' },
    );
    expect(p).toMatchObject({ dockerfile: DOCKERFILE, dockerfilePath: 'Dockerfile.wharf' });
  });

  it('generates for the chosen program type even when there is a Dockerfile', async () => {
    const p = await plan({ Dockerfile: DOCKERFILE, 'index.html': '' }, { programType: 'static' });
    expect(p).toMatchObject({ programType: 'static', generated: true, dockerfilePath: 'Dockerfile.wharf' });
  });

  it('refuses a chosen program type the repository does not hold, and a missing chosen Dockerfile', async () => {
    expect((await refusal({ 'index.html': '' }, { programType: 'python' })).message).toMatch(/program type python was chosen/);
    expect((await refusal({ 'index.html': '' }, { programType: 'dockerfile' })).field).toBe('dockerfilePath');
    expect((await refusal({}, { programType: 'ruby' as BuildSettings['programType'] })).field).toBe('programType');
  });

  it("uses the user's text in place of the generated Dockerfile, but not in place of the repository's", async () => {
    const override = 'FROM registry.test/mine\nEXPOSE 9000\n';
    const p = await plan({ 'package.json': pkg({ main: 'a.js' }) }, { dockerfile: override });
    expect(p).toMatchObject({
      programType: 'dockerfile',
      generated: false,
      source: 'override',
      dockerfile: override,
      port: 9000,
    });
    expect((await plan({ 'app.py': '' }, { dockerfile: override, programType: 'python' })).programType).toBe('python');
    const repoWins = await plan({ Dockerfile: DOCKERFILE }, { dockerfile: override });
    expect(repoWins).toMatchObject({ source: 'repository', dockerfile: DOCKERFILE });
    expect(repoWins.reason).toMatch(/not used while the repository has one/);
    expect((await refusal({ 'app.py': '' }, { dockerfile: 'RUN true\n' })).message).toMatch(/no FROM instruction/);
  });

  it('takes null and missing optional settings (as stored settings may have them) as unset', async () => {
    const stored = { programType: undefined, dockerfile: null, target: null, buildArgs: null, context: null } as unknown;
    const p = await plan({ 'index.html': '' }, stored as Partial<BuildSettings>);
    expect(p).toMatchObject({ programType: 'static', source: 'generated', context: '.', buildArgs: {} });
    expect(p.target).toBeUndefined();
  });

  it('checks the target against the stages, and passes build arguments through', async () => {
    const p = await plan({ Dockerfile: DOCKERFILE }, { target: 'DEPS', buildArgs: { GREETING: 'hi there; $(x)', _A1: '' } });
    expect(p).toMatchObject({ target: 'DEPS', buildArgs: { GREETING: 'hi there; $(x)', _A1: '' } });
    expect(p.port).toBeUndefined();
    expect((await refusal({ Dockerfile: DOCKERFILE }, { target: 'nope' })).message).toMatch(
      /no stage named nope \(its named stages: deps\)/,
    );
    expect((await refusal({ Dockerfile: DOCKERFILE }, { target: '-x' })).field).toBe('target');
  });

  it.each([
    [{ '1A': 'x' }, /must match/],
    [{ 'A-B': 'x' }, /must match/],
    [{ 'A B': 'x' }, /must match/],
    [{ A: 'x\0y' }, /NUL/],
  ])('refuses build arguments %j', async (buildArgs, message) => {
    const error = await refusal({ Dockerfile: DOCKERFILE }, { buildArgs });
    expect(error.field).toBe('buildArgs');
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ context: '../other' }, 'context'],
    [{ context: '/etc' }, 'context'],
    [{ context: 'missing' }, 'context'],
    [{ context: 'index.html' }, 'context'],
    [{ dockerfilePath: '../Dockerfile' }, 'dockerfilePath'],
    [{ dockerfilePath: '/etc/passwd' }, 'dockerfilePath'],
    [{ dockerfilePath: 'Docker\nfile' }, 'dockerfilePath'],
    [{ dockerfilePath: '.' }, 'dockerfilePath'],
  ] as const)('refuses the settings %j', async (overrides, field) => {
    expect((await refusal({ 'index.html': '' }, overrides)).field).toBe(field);
  });

  it('refuses symbolic links that lead outside the repository', async () => {
    const out = { link: '../secret.txt' };
    expect((await refusal({ Dockerfile: out })).field).toBe('dockerfilePath');
    expect((await refusal({ 'package.json': out })).message).toMatch(/package\.json is .*symbolic link that leads outside/);
    expect((await refusal({ 'app.py': '', Procfile: out })).message).toMatch(/Procfile/);
    expect((await refusal({ app: { link: '..' } }, { context: 'app' })).field).toBe('context');
    expect((await refusal({ 'index.html': '', Dockerfile: { link: 'nowhere' } })).message).toMatch(/symbolic link to nothing/);
  });

  it('follows symbolic links that stay inside (the positive control)', async () => {
    const p = await plan(
      { 'real/Dockerfile': DOCKERFILE, Dockerfile: { link: 'real/Dockerfile' }, app: { link: 'real' } },
      { context: 'app' },
    );
    expect(p).toMatchObject({ dockerfile: DOCKERFILE, context: 'app', source: 'repository' });
  });
});

describe('planBuild: the sample apps', () => {
  it.each([
    ['node', 'node', 'package.json found: Node.js (npm start)'],
    ['python', 'python', 'app.py found: Python (python3 app.py)'],
    ['static', 'static', 'index.html found: static site (busybox httpd)'],
    ['multistage', 'dockerfile', 'Dockerfile found at Dockerfile'],
  ])('plans %s as %s', async (sample, programType, reason) => {
    const p = await planBuild(path.join(SAMPLES, sample), { ...DEFAULT_BUILD_SETTINGS, buildArgs: {} }, LOCAL_BASE_IMAGES);
    expect(p).toMatchObject({ programType, reason, port: 8080 });
    if (p.generated) expect(p.dockerfile).toContain(`FROM ${LOCAL_BASE_IMAGES[programType as 'node']}\n`);
  });
});
