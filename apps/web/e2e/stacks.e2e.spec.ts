import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureHttpImage } from '../../../tests/support/engine.js';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

const screenshot = screenshots('stacks');
const run = randomBytes(3).toString('hex');
const person = { name: 'Grace Stacks', email: `grace-${run}@example.com`, password: 'grace-password-8080' };
const appName = `shop-${run}`;
const webBody = `web of ${run}`;
/** A deployment pulls, starts and routes two services: give it time on a loaded machine. */
const SETTLE_MS = 120_000;

/**
 * Two services: the web front (with a URL) waits for the API to start; the API needs a database from outside the
 * stack. Comments stay through saves from the form.
 */
function composeFile(webImage: string, apiImage: string): string {
  return [
    '# the shop: a web front and its API',
    'services:',
    '  web:',
    `    image: ${webImage}`,
    '    ports:',
    '      - "8080"',
    // a port that is not published is reachable inside the stack only: this one is also the service's URL
    '    x-wharf-http: 8080',
    '    environment:',
    '      GREETING: hello',
    '    depends_on:',
    '      api:',
    '        condition: service_started',
    '  api:',
    `    image: ${apiImage}`,
    // bound per environment: to a URL here
    '    external_links:',
    '      - billing-db:db',
    '',
  ].join('\n');
}

/** 1-based line of the first line of `text` that is `content` once trimmed. */
function lineOf(text: string, content: string): number {
  return text.split('\n').findIndex((line) => line.trim() === content) + 1;
}

/** The text of a CodeMirror editor, one line per `.cm-line`, without its final line break. */
async function editorText(editor: Locator): Promise<string> {
  const lines = await editor.locator('.cm-line').allInnerTexts();
  return lines
    .map((line) => line.replace(/\n$/, ''))
    .join('\n')
    .trimEnd();
}

/**
 * Replaces the end of a line of the editor as a person would: click the line, go to its end, delete, type.
 * `line` is the line's text, trimmed.
 */
async function retypeLineEnd(page: Page, editor: Locator, line: string, remove: string, insert: string): Promise<void> {
  await editor
    .locator('.cm-line')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(line)}$`) })
    .click();
  await page.keyboard.press('End');
  for (let i = 0; i < remove.length; i += 1) await page.keyboard.press('Backspace');
  await page.keyboard.type(insert);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('compose stacks', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let yaml = '';
  let tenantSlug = '';

  beforeAll(async () => {
    let webImage: string;
    let apiImage: string;
    [browser, webImage, apiImage] = await Promise.all([
      launchBrowser(),
      ensureHttpImage(`stack-web-${run}`, webBody),
      ensureHttpImage(`stack-api-${run}`, `api of ${run}`),
    ]);
    yaml = composeFile(webImage, apiImage);
    context = await newContext(browser, inject('webUrl'));
    page = await context.newPage();
    tenantSlug = await signUp(page, person);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('refuses a compose file with a typo, showing the problem at its line, then creates the app', async () => {
    await page.goto(`/t/${tenantSlug}/apps/new`);
    const form = page.getByTestId('create-app-form');
    await form.getByLabel('A compose file').check();
    await form.getByLabel('Name', { exact: true }).fill(appName);
    const editor = form.getByTestId('compose-editor');
    const typo = yaml.replace('    ports:', '    prots:');
    await form.getByRole('textbox', { name: 'Compose file' }).fill(typo);
    expect(await editorText(editor)).toBe(typo.trimEnd());
    await form.getByLabel('Deploy now').uncheck();
    await form.getByRole('button', { name: 'Create app' }).click();

    const line = lineOf(typo, 'prots:');
    const issue = form.locator(`[data-testid="stack-issue"][data-severity="error"][data-line="${line}"]`);
    await issue.waitFor();
    expect(await issue.textContent()).toContain('prots');
    await editor.locator('.cm-lintRange-error', { hasText: 'prots' }).waitFor();
    await screenshot(page, 'create-error', { mobile: true });

    await retypeLineEnd(page, editor, 'prots:', 'prots:', 'ports:');
    expect(await editorText(editor)).toBe(yaml.trimEnd());
    // the marks belong to the text that was refused: gone once it changes
    await issue.waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Create app' }).click();
    await page.waitForURL(`**/t/${tenantSlug}/apps/${appName}`);
    await page.getByTestId('app-kind').waitFor();
    const environments = page.getByTestId('app-environments');
    expect(await environments.locator('li').getAttribute('data-name')).toBe('production');
  });

  it('checks the YAML while typing and marks a typo at its line', async () => {
    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Stack' }).click();
    await page.waitForURL(`**/apps/${appName}/stack`);
    const editor = page.getByTestId('yaml-editor');
    await editor.locator('.cm-line').first().waitFor();
    expect(await editorText(editor)).toBe(yaml.trimEnd());
    await expect.poll(() => page.getByTestId('check-state').textContent()).toBe('No problems found');

    await retypeLineEnd(page, editor, 'ports:', 'ports:', 'prots:');
    const line = lineOf(yaml, 'ports:');
    const issue = page.locator(`[data-testid="stack-issue"][data-severity="error"][data-line="${line}"]`);
    await issue.waitFor();
    await editor.locator('.cm-lintRange-error', { hasText: 'prots' }).waitFor();
    await editor.locator('.cm-gutter-lint .cm-lint-marker-error').first().waitFor();
    await screenshot(page, 'stack-typo', { mobile: true });

    await retypeLineEnd(page, editor, 'prots:', 'prots:', 'ports:');
    await issue.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('check-state').textContent()).toBe('No problems found');
  });

  it('keeps edits when switching between YAML and the form, and saves both', async () => {
    const editor = page.getByTestId('yaml-editor');
    const yamlButton = page.getByRole('button', { name: 'YAML', exact: true });
    const formButton = page.getByRole('button', { name: 'Form', exact: true });
    const greeting = () =>
      page.locator('[data-testid="service-fields"][data-name="web"]').getByTestId('environment').getByLabel('Value');

    // An edit in the YAML is in the form, and still in the YAML after switching back.
    await retypeLineEnd(page, editor, 'GREETING: hello', 'hello', 'bonjour');
    await formButton.click();
    await page.getByTestId('stack-form').waitFor();
    expect(await formButton.getAttribute('aria-pressed')).toBe('true');
    expect(await greeting().inputValue()).toBe('bonjour');
    await yamlButton.click();
    expect(await editorText(editor)).toContain('GREETING: bonjour');

    // An edit in the form is kept through the YAML view, which waits for the save to write it.
    await formButton.click();
    await greeting().fill('salut');
    await screenshot(page, 'stack-form', { mobile: true });
    await yamlButton.click();
    await page.getByTestId('form-pending').waitFor();
    expect(await editor.locator('.cm-content').getAttribute('contenteditable')).toBe('false');
    await formButton.click();
    expect(await greeting().inputValue()).toBe('salut');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('stack-saved').waitFor();
    await yamlButton.click();
    const saved = await editorText(editor);
    expect(saved).toContain('GREETING: salut');
    expect(saved).toContain('# the shop: a web front and its API');
  });

  it('draws the dependency graph', async () => {
    const graph = page.getByTestId('dependency-graph');
    await graph.waitFor();
    expect(await graph.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
    expect(await graph.getByTestId('graph-node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-name')))).toEqual([
      'api',
      'web',
    ]);
    const edge = graph.locator('.graph-edge[data-from="web"][data-to="api"]');
    expect(await edge.textContent()).toBe('started');
    await screenshot(page, 'stack-graph', { mobile: true });
  });

  it('adds a staging environment, binds what the stack needs there, and reviews the diff', async () => {
    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Environments' }).click();
    await page.waitForURL(`**/apps/${appName}/environments`);
    const production = page.locator('[data-testid="environment-row"][data-name="production"]');
    await production.waitFor();
    expect(await production.textContent()).toContain('0 of 1 bound');
    expect(await production.getByRole('button', { name: 'Delete' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Add environment' }).click();
    const dialog = page.getByTestId('create-environment-dialog');
    await dialog.getByLabel('Name').fill('staging');
    await dialog.getByRole('button', { name: 'Add environment' }).click();
    const staging = page.locator('[data-testid="environment-row"][data-name="staging"]');
    await staging.waitFor();
    expect(await staging.getAttribute('data-status')).toBe('created');
    await screenshot(page, 'environments', { mobile: true });

    await staging.getByTestId('environment-link').click();
    await page.waitForURL(`**/apps/${appName}/environments/staging`);
    await page.getByTestId('environment-view').waitFor();
    await page.getByRole('heading', { name: 'Variables and secrets of staging' }).waitFor();
    await bindUrl(page, 'not a url');
    await page.getByTestId('binding').getByTestId('field-error').filter({ hasText: 'An absolute URL with a host.' }).waitFor();
    await bindUrl(page, 'postgres://billing-staging.example.com:5432/billing');
    await page.getByText('Saved. They take effect with the next deployment.').waitFor();
    await screenshot(page, 'environment', { mobile: true });
    await page.getByRole('link', { name: '← All environments' }).click();

    await staging.getByRole('button', { name: 'Review and deploy' }).click();
    const diff = page.getByTestId('diff-dialog');
    const added = diff.locator('[data-testid="diff-entry"][data-kind="services"][data-change="added"]');
    await added.first().waitFor();
    expect((await added.evaluateAll((items) => items.map((i) => i.getAttribute('data-name')))).sort()).toEqual(['api', 'web']);
    await screenshot(page, 'diff', { mobile: true });
    await diff.getByRole('button', { name: 'Cancel' }).click();
  });

  it('deletes staging, never production', async () => {
    const staging = page.locator('[data-testid="environment-row"][data-name="staging"]');
    await staging.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete environment' }).click();
    await staging.waitFor({ state: 'detached' });
  });

  it('refuses to deploy production until it binds the stack’s needs, then deploys it from the diff', async () => {
    const production = page.locator('[data-testid="environment-row"][data-name="production"]');
    const diff = page.getByTestId('diff-dialog');
    await production.getByRole('button', { name: 'Review and deploy' }).click();
    await diff.getByTestId('problem').filter({ hasText: 'billing-db' }).waitFor();
    await diff.getByRole('button', { name: 'Cancel' }).click();

    await production.getByTestId('environment-link').click();
    await page.waitForURL(`**/apps/${appName}/environments/production`);
    await bindUrl(page, 'postgres://billing.example.com:5432/billing');
    await page.getByText('Saved. They take effect with the next deployment.').waitFor();
    await page.getByTestId('environment-view').getByRole('button', { name: 'Review and deploy' }).click();
    await diff.getByTestId('stack-diff').waitFor();
    await diff.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    const view = page.getByTestId('deployment-view');
    expect(await view.getByTestId('deployment-environment').textContent()).toBe('production');
    await view.locator('[data-testid="deployment-status"][data-status="live"]').waitFor({ timeout: SETTLE_MS });

    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Deployments' }).click();
    const row = page.getByTestId('deployment-row').first();
    await row.waitFor();
    expect(await row.getAttribute('data-environment')).toBe('production');
    expect(await row.getByTestId('deployment-environment').textContent()).toBe('production');
    await screenshot(page, 'deployments', { mobile: true });
  });

  it('sees production live at its URL', async () => {
    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Environments' }).click();
    const production = page.locator('[data-testid="environment-row"][data-name="production"]');
    await expect
      .poll(async () => production.getAttribute('data-status'), { timeout: SETTLE_MS, interval: 1_000 })
      .toBe('running');
    expect(await production.textContent()).toContain('1 of 1 bound');
    const url = production.locator('[data-testid="environment-url"][data-service="web"]');
    const href = (await url.getAttribute('href')) ?? '';
    expect(href).toBe(`http://web.${appName}.${tenantSlug}.${inject('appsDomain')}:${inject('proxyPort')}`);
    await page
      .locator(
        '[data-testid="app-environments"] li[data-name="production"] [data-testid="environment-status"][data-status="running"]',
      )
      .waitFor({ timeout: SETTLE_MS });
    await screenshot(page, 'environments-live', { mobile: true });

    const site = await context.newPage();
    await expect.poll(async () => bodyOf(site, href), { timeout: 30_000, interval: 500 }).toBe(webBody);
    await site.close();
  });

  it('reads the logs of any service of the stack', async () => {
    await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'Logs' }).click();
    const service = page.getByTestId('logs-service');
    await expect
      .poll(async () => (await service.locator('option').allTextContents()).sort(), { timeout: 15_000 })
      .toEqual(['api', 'web']);
    await service.selectOption('api');
    await expect.poll(async () => page.getByTestId('log-lines').getAttribute('aria-label')).toBe('Logs');
    expect(await service.inputValue()).toBe('api');
  });
});

/** Binds the stack's one external need, `billing-db`, to a URL on the environment's page, and saves. */
async function bindUrl(page: Page, url: string): Promise<void> {
  const binding = page.locator('[data-testid="binding"][data-name="billing-db"]');
  await binding.getByLabel('Bound to').selectOption('url');
  await binding.getByLabel('URL', { exact: true }).fill(url);
  await page.getByRole('button', { name: 'Save bindings' }).click();
}

/** The page's text, trimmed; '' while the URL does not answer yet. */
async function bodyOf(site: Page, url: string): Promise<string> {
  try {
    await site.goto(url, { timeout: 5_000 });
    return ((await site.textContent('body', { timeout: 2_000 })) ?? '').trim();
  } catch {
    return ''; // not routed yet: polled again
  }
}
