import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { packSource } from '../../cli/src/pack.js';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import {
  appSection,
  BUILD_MS,
  callApi,
  redeployToProduction,
  runningBuiltApp,
  SETTLE_MS,
  served,
  uploadSource,
} from './builds-support.js';
import './provided.js';

/*
 * An app of uploads, as `wharf deploy` makes it: created with `upload: true`, each build an archive of a directory
 * sent to the upload route — by the CLI's route (the first), then through the dashboard's "Upload source" (the
 * second). The dashboard lists and shows those builds, offers no "Build now" and no repository.
 */
const screenshot = screenshots('uploads');
const run = randomBytes(3).toString('hex');
const person = { name: 'Grace Uploads', email: `grace-${run}@example.com`, password: 'grace-password-8080' };
const appName = `upload-${run}`;
const SAMPLE = fileURLToPath(new URL('../../../tests/fixtures/build-samples/static', import.meta.url));
const FIRST = 'hello from the static sample';
const SECOND = `hello from the second upload of ${run}`;
const BUILDS_NOTE = 'This app is built from uploaded source archives (“wharf deploy” or Upload source): each upload is a build.';
const SOURCE_NOTE =
  'This app has no repository: it is built from uploaded source archives (“wharf deploy” or Upload source on its builds).';

describe('builds from uploaded archives', () => {
  let browser: Browser;
  let page: Page;
  let work = '';
  let tenantSlug = '';
  let token = '';
  let appPath = '';
  let appUrl = '';
  let firstBuild = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await newContext(browser, inject('webUrl'));
    page = await context.newPage();
    tenantSlug = await signUp(page, person);
    const login = await callApi<{ accessToken: string }>('POST', '/auth/login', undefined, {
      email: person.email,
      password: person.password,
    });
    token = login.accessToken;
    await callApi('POST', `/tenants/${tenantSlug}/apps`, token, { name: appName, upload: true });
    appPath = `/t/${tenantSlug}/apps/${appName}`;
    work = mkdtempSync(join(tmpdir(), 'wharf-web-uploads-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows the app before its first upload: no builds, "Build now" refused saying why, no repository', async () => {
    await page.goto(`${appPath}/builds`);
    const view = page.getByTestId('builds-view');
    await view.getByText('No builds yet').waitFor();
    await view.getByText(BUILDS_NOTE, { exact: true }).waitFor();
    const buildNow = view.getByRole('button', { name: 'Build now' });
    // the refusal is known once the app's source is read (there is none)
    await expect.poll(() => buildNow.getAttribute('title')).toBe(BUILDS_NOTE);
    expect(await buildNow.isDisabled()).toBe(true);
    await screenshot(page, 'no-builds', { mobile: true });

    await appSection(page, 'Source').click();
    await page.getByTestId('empty-state').getByText(SOURCE_NOTE, { exact: true }).waitFor();
    expect(await page.getByTestId('source-form').count()).toBe(0);
    expect(await page.getByTestId('webhook-card').count()).toBe(0);
    await screenshot(page, 'no-source', { mobile: true });
  });

  it('lists an upload, and shows its log and the Dockerfile Wharf wrote', async () => {
    const build = await uploadSource(tenantSlug, appName, token, SAMPLE);
    expect(build).toMatchObject({ number: 1, trigger: 'cli' });
    firstBuild = build.id;

    await appSection(page, 'Builds').click();
    const row = page.locator('[data-testid="build-row"][data-number="1"]');
    await row.waitFor();
    await row.getByText('Upload', { exact: true }).waitFor();
    expect(await row.getByTestId('build-ref').textContent()).toBe('—');
    expect(await page.getByRole('button', { name: 'Build now' }).isDisabled()).toBe(true);

    await row.getByTestId('build-link').click();
    await page.waitForURL(`**${appPath}/builds/${build.id}`);
    const view = page.getByTestId('build-view');
    await view.getByRole('heading', { name: 'Build #1' }).waitFor();
    // the worker's first line about an upload: streamed while it runs, or read back once it ended
    await view
      .getByTestId('build-log-line')
      .filter({ hasText: 'unpacking the uploaded source' })
      .first()
      .waitFor({ timeout: BUILD_MS });
    await view.locator('[data-testid="build-status"][data-status="succeeded"]').waitFor({ timeout: BUILD_MS });
    await view.locator('[data-testid="stream-state"][data-status="ended"]').waitFor();
    const facts = view.getByTestId('build-facts');
    await facts.getByText('Upload', { exact: true }).waitFor();
    expect(await facts.getByTestId('build-ref').textContent()).toBe('—');
    expect(await facts.getByTestId('build-subject').textContent()).toBe('—');
    expect(await view.getByTestId('build-image').textContent()).toMatch(/@sha256:[0-9a-f]{64}$/);
    const plan = view.getByTestId('build-plan');
    expect(await plan.getAttribute('data-generated')).toBe('true');
    expect(await plan.getByTestId('plan-dockerfile').textContent()).toMatch(/^FROM /m);
    // no repository to save an override into
    expect(await view.getByRole('button', { name: 'Edit and save as override…' }).count()).toBe(0);
    await screenshot(page, 'build-succeeded', { mobile: true });
  });

  it('deploys what it built: the app answers at its URL', async () => {
    appUrl = await runningBuiltApp(page, appName, tenantSlug);
    await expect.poll(() => served(appUrl), { timeout: 60_000, interval: 500 }).toContain(FIRST);
  });

  it('uploads a second archive from the dashboard (a file that is no archive refused at its field), deploys it, then redeploys the first build', async () => {
    const changed = join(work, 'static');
    cpSync(SAMPLE, changed, { recursive: true });
    const index = join(changed, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace(FIRST, SECOND));
    const { archive } = await packSource(changed);

    await page.goto(`${appPath}/builds`);
    await page.getByTestId('builds-view').getByRole('button', { name: 'Upload source' }).click();
    const dialog = page.getByTestId('upload-dialog');
    const file = dialog.getByLabel('Source archive (.tar.gz)');
    await file.setInputFiles({ name: 'notes.tgz', mimeType: 'application/gzip', buffer: Buffer.from('not gzip at all') });
    await dialog.getByRole('button', { name: 'Upload and build' }).click();
    await dialog.getByTestId('field-error').filter({ hasText: 'not a gzip-compressed archive' }).waitFor();
    await screenshot(page, 'upload-refused', { mobile: true });
    // nothing was built
    expect(await page.locator('[data-testid="build-row"][data-number="2"]').count()).toBe(0);

    await file.setInputFiles({ name: 'static.tgz', mimeType: 'application/gzip', buffer: archive });
    await dialog.getByRole('button', { name: 'Upload and build' }).click();
    // the dialog takes the user to the new build, which follows its log to the end
    await page.waitForURL(`**${appPath}/builds/*`);
    const view = page.getByTestId('build-view');
    await view.getByRole('heading', { name: 'Build #2' }).waitFor();
    await view.locator('[data-testid="build-status"][data-status="succeeded"]').waitFor({ timeout: BUILD_MS });
    await expect.poll(() => served(appUrl), { timeout: SETTLE_MS, interval: 500 }).toContain(SECOND);

    await appSection(page, 'Builds').click();
    await page.locator('[data-testid="build-row"][data-number="1"]').getByTestId('build-link').click();
    await page.waitForURL(`**${appPath}/builds/${firstBuild}`);
    const deployment = await redeployToProduction(page);
    expect(await deployment.getByText('Revision 3').count()).toBe(1);
    expect(await deployment.getByTestId('deployment-build').getAttribute('href')).toBe(`${appPath}/builds/${firstBuild}`);
    await expect.poll(() => served(appUrl), { timeout: 60_000, interval: 500 }).toContain(FIRST);
  });
});
