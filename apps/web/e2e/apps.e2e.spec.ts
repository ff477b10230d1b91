import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { viaProxy } from '../../../tests/support/apps.js';
import { ensureHttpImage } from '../../../tests/support/engine.js';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

const screenshot = screenshots('apps');
const run = randomBytes(3).toString('hex');
const person = { name: 'Ada Apps', email: `ada-${run}@example.com`, password: 'ada-password-8080' };
const appName = `hello-${run}`;
const body = `hello from ${run}`;
const secret = { key: 'API_TOKEN', value: `tok-${run}-${'x'.repeat(12)}` };
/** Long enough to be folded in the list, and to prove it wraps rather than widening the page. */
const greeting = `hello ${'wharf '.repeat(60)}`.trim();
/** A deployment pulls, starts and routes: give it time on a loaded machine. */
const SETTLE_MS = 90_000;

/** httpd in the foreground, logging each request to stderr: one argument per line, as the form takes it. */
const COMMAND = ['httpd', '-f', '-vv', '-p', '8080', '-h', '/www'].join('\n');

describe('apps', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let image = '';
  let tenantSlug = '';
  let appUrl = '';

  beforeAll(async () => {
    [browser, image] = await Promise.all([launchBrowser(), ensureHttpImage(`web-${run}`, body)]);
    context = await newContext(browser, inject('webUrl'));
    page = await context.newPage();
    tenantSlug = await signUp(page, person);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists no apps yet and offers to create one', async () => {
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('link', { name: 'Apps' }).click();
    await page.waitForURL(`**/t/${tenantSlug}/apps`);
    await page.getByText('No apps yet').waitFor();
    await screenshot(page, 'empty', { mobile: true });
    await page.getByTestId('empty-state').getByRole('link', { name: 'Create app' }).click();
    await page.waitForURL(`**/t/${tenantSlug}/apps/new`);
  });

  it('shows the API’s field errors and a quota refusal on the create form', async () => {
    const form = page.getByTestId('create-app-form');
    await form.getByLabel('Name', { exact: true }).fill(appName);
    await form.getByLabel('Image', { exact: true }).fill('Not An Image');
    await form.getByRole('button', { name: 'Create app' }).click();
    await form.getByTestId('field-error').filter({ hasText: 'not a full image reference' }).waitFor();

    // 20 replicas × 250 millicores is more CPU than the free plan's 2 000
    await form.getByLabel('Image', { exact: true }).fill(image);
    await form.getByLabel('Replicas', { exact: true }).fill('20');
    await form.getByRole('button', { name: 'Create app' }).click();
    const quota = form.getByTestId('problem-quota');
    await quota.waitFor();
    expect(await quota.textContent()).toMatch(/Quota reached for .+: .+ in use, .+ more requested/);
    await screenshot(page, 'create-quota', { mobile: true });
  });

  it('creates the app from an image and sees it run at its URL', async () => {
    const form = page.getByTestId('create-app-form');
    await form.getByLabel('Replicas', { exact: true }).fill('1');
    await form.getByLabel('HTTP port').fill('8080');
    await form.getByLabel('Command (optional)').fill(COMMAND);
    await form.getByRole('button', { name: 'Add variable' }).click();
    const variable = form.getByTestId('variable-input-row');
    await variable.getByLabel('Key').fill('GREETING');
    await variable.getByLabel('Value').fill(greeting);
    await screenshot(page, 'create-form', { mobile: true });
    await form.getByRole('button', { name: 'Create app' }).click();

    await page.waitForURL(`**/t/${tenantSlug}/apps/${appName}`);
    await page
      .locator('[data-testid="app-summary"] [data-testid="app-status"][data-status="running"]')
      .waitFor({ timeout: SETTLE_MS });
    const link = page.getByTestId('app-summary').getByTestId('app-url');
    appUrl = (await link.getAttribute('href')) ?? '';
    expect(appUrl).toBe(`http://web.${appName}.${tenantSlug}.${inject('appsDomain')}:${inject('proxyPort')}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    await screenshot(page, 'running', { mobile: true });

    const [site] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await expect.poll(async () => bodyOf(site), { timeout: 30_000, interval: 500 }).toBe(body);
    await site.close();
  });

  it('lists the running app with its replicas and URL', async () => {
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Apps' }).click();
    const row = page.locator(`[data-testid="app-row"][data-name="${appName}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('running');
    expect(await row.getByTestId('app-replicas').textContent()).toBe('1/1');
    expect(await row.getByTestId('app-url').getAttribute('href')).toBe(appUrl);
    await screenshot(page, 'list', { mobile: true });
    await row.getByRole('link', { name: appName, exact: true }).click();
    await page.waitForURL(`**/apps/${appName}`);
  });

  it('scales to two replicas', async () => {
    await page.getByTestId('replicas-input').fill('2');
    await page.getByRole('button', { name: 'Scale' }).click();
    await expect
      .poll(async () => page.getByTestId('app-summary').getByTestId('app-replicas').textContent(), { timeout: SETTLE_MS })
      .toMatch(/^2\/2/);
  });

  it('lists the deployments and replays one’s progress', async () => {
    const rows = page.getByTestId('deployment-row');
    await rows.first().waitFor();
    await expect.poll(async () => rows.first().getAttribute('data-status'), { timeout: SETTLE_MS }).toBe('live');
    await screenshot(page, 'deployments', { mobile: true });

    await rows.last().getByTestId('deployment-link').click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    const view = page.getByTestId('deployment-view');
    await view.locator('[data-testid="deployment-status"][data-status="live"]').waitFor();
    await view.locator('[data-testid="deployment-event"][data-kind="status"]').first().waitFor();
    await view.locator('[data-testid="stream-state"][data-status="ended"]').waitFor();
    await screenshot(page, 'deployment-progress', { mobile: true });
  });

  it('deploys again, then rolls back to the first revision from the list', async () => {
    const allDeployments = () => page.getByRole('link', { name: '← All deployments' }).click();
    const live = () =>
      page
        .getByTestId('deployment-view')
        .locator('[data-testid="deployment-status"][data-status="live"]')
        .waitFor({ timeout: SETTLE_MS });
    await allDeployments();
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    await live();

    await allDeployments();
    const rows = page.getByTestId('deployment-row');
    await expect.poll(async () => rows.count(), { timeout: SETTLE_MS }).toBe(2);
    await rows.last().getByRole('button', { name: 'Roll back to this' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Roll back' }).click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    await live();

    await allDeployments();
    await expect.poll(async () => rows.count(), { timeout: SETTLE_MS }).toBe(3);
    expect(await rows.first().textContent()).toContain('Rollback.');
    await expect.poll(async () => rows.first().getAttribute('data-status'), { timeout: SETTLE_MS }).toBe('live');
  });

  it('follows the logs live', async () => {
    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Logs' }).click();
    await page.locator('[data-testid="stream-state"][data-status="live"]').waitFor();
    const lines = page.getByTestId('log-line');
    // A request through the edge proxy while the page watches: httpd logs it, the line streams in.
    await expect
      .poll(
        async () => {
          await viaProxy(inject('proxyPort'), new URL(appUrl).hostname).catch(() => undefined);
          return lines.filter({ hasText: 'response:200' }).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    const first = lines.first();
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await first.locator('.log-source').textContent()).not.toBe('');
    await screenshot(page, 'logs', { mobile: true });
  });

  it('searches the log, marking and counting the matches while following, and downloads the loaded lines', async () => {
    const lines = page.getByTestId('log-line');
    const search = page.getByTestId('logs-search');
    await search.fill('RESPONSE:200');
    const count = page.getByTestId('logs-match-count');
    await count.waitFor();
    const shown = await lines.count();
    expect(shown).toBeGreaterThan(0);
    expect(await count.textContent()).toMatch(/^\d+ of \d+ lines match$/);
    expect(await lines.filter({ hasNotText: 'response:200' }).count()).toBe(0);
    expect((await lines.first().getByTestId('log-match').allTextContents())[0]).toBe('response:200');
    // still following: a new request's line shows under the search
    await expect
      .poll(
        async () => {
          await viaProxy(inject('proxyPort'), new URL(appUrl).hostname).catch(() => undefined);
          return lines.count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(shown);
    await screenshot(page, 'logs-search', { mobile: true });
    await search.fill(`no such text ${run}`);
    await page.getByText('No loaded line matches the search.').waitFor();
    await search.fill('');
    await expect.poll(async () => lines.filter({ hasNotText: 'response:200' }).count()).toBeGreaterThan(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('logs-download').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${appName}-web-production-\\d{4}-\\d{2}-\\d{2}T\\d{6}Z\\.log$`));
    const text = await readFile(await download.path(), 'utf8');
    const fileLines = text.trimEnd().split('\n');
    expect(fileLines.length).toBeGreaterThan(0);
    expect(fileLines.length).toBeLessThanOrEqual(await lines.count());
    expect(fileLines.some((l) => l.includes('response:200'))).toBe(true);
    expect(fileLines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z \S+ (stdout|stderr) /);
  });

  it('changes the app’s settings: errors at their fields, only what changed saved, for the next deployment', async () => {
    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Settings' }).click();
    const form = page.getByTestId('app-settings-form');
    const outcome = form.getByTestId('app-settings-outcome');
    const save = form.getByRole('button', { name: 'Save' });
    const imageField = form.getByLabel('Image', { exact: true });
    expect(await imageField.inputValue()).toBe(image);
    expect(await form.getByLabel('HTTP port').inputValue()).toBe('8080');
    expect(await form.getByLabel('Command (optional)').inputValue()).toBe(COMMAND);

    await save.click();
    await outcome.getByText('Nothing changed', { exact: false }).waitFor();

    await imageField.fill('Not An Image');
    await save.click();
    await form.getByTestId('field-error').filter({ hasText: 'not a full image reference' }).waitFor();
    expect(await imageField.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'settings-error', { mobile: true });

    await page.reload();
    await form.waitFor();
    await form.getByLabel('Memory per replica (MiB)').fill('96');
    await form.getByLabel('Health check', { exact: true }).selectOption('http');
    await form.getByLabel('Path', { exact: true }).fill('/');
    const [patch] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/apps/${appName}`)),
      save.click(),
    ]);
    expect(patch.postDataJSON()).toEqual({ memoryMiB: 96, healthcheck: { type: 'http', path: '/' } });
    await outcome.getByText('Saved.', { exact: false }).waitFor();
    await page.reload();
    await form.waitFor();
    expect(await form.getByLabel('Memory per replica (MiB)').inputValue()).toBe('96');
    expect(await form.getByLabel('Health check', { exact: true }).inputValue()).toBe('http');
  });

  it('adds a secret, shows it masked, and reveals it to the owner', async () => {
    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Variables' }).click();
    const plain = page.locator('[data-testid="variable-row"][data-key="GREETING"]');
    await plain.getByRole('button', { name: /^Show all/ }).click();
    expect(await plain.getByTestId('variable-value').textContent()).toBe(greeting);
    await page.getByRole('button', { name: 'Add variable' }).click();
    const dialog = page.getByTestId('variable-dialog');
    await dialog.getByLabel('Key').fill(secret.key);
    await dialog.getByLabel('Value').fill(secret.value);
    await dialog.getByLabel('Secret (stored encrypted, shown masked)').check();
    await dialog.getByRole('button', { name: 'Save' }).click();

    const row = page.locator(`[data-testid="variable-row"][data-key="${secret.key}"]`);
    await row.waitFor();
    expect(await row.getByTestId('variable-value').getAttribute('data-masked')).toBe('true');
    expect(await row.getByRole('button', { name: 'Copy' }).isDisabled()).toBe(true);
    expect(await page.content()).not.toContain(secret.value);
    await screenshot(page, 'variables-masked', { mobile: true });

    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret.value);
    await row.getByRole('button', { name: 'Reveal' }).click();
    await row.locator('[data-testid="variable-value"][data-masked="false"]').waitFor();
    expect(await row.getByTestId('variable-value').textContent()).toBe(secret.value);
    await row.getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret.value);
    await screenshot(page, 'variables-revealed', { mobile: true });
  });

  it('deletes the app once its name is typed', async () => {
    await page.getByRole('button', { name: 'Delete app' }).click();
    const dialog = page.getByTestId('delete-app-dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete app' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(`Type ${appName} to confirm`).fill(appName);
    await confirm.click();
    await page.waitForURL(`**/t/${tenantSlug}/apps`);
    await expect
      .poll(
        async () =>
          page
            .locator(`[data-testid="app-row"][data-name="${appName}"]`)
            .getAttribute('data-status', { timeout: 1_000 })
            .catch(() => 'gone'),
        {
          timeout: SETTLE_MS,
        },
      )
      .toMatch(/^(deleting|gone)$/);
  });
});

/** The page's text after a reload, trimmed; '' while the URL does not answer yet. */
async function bodyOf(site: Page): Promise<string> {
  try {
    await site.reload({ timeout: 5_000 });
    return ((await site.textContent('body', { timeout: 2_000 })) ?? '').trim();
  } catch {
    return ''; // not routed yet: polled again
  }
}
