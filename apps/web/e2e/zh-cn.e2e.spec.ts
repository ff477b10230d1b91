import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureHttpImage } from '../../../tests/support/engine.js';
import { launchBrowser, newContext, screenshots } from './browser.js';
import { untranslatedText } from './untranslated.js';
import './provided.js';

/*
 * The first journey in 简体中文: the language picked on the sign-up page (and remembered), then sign up → deploy an
 * app from an image → its URL answers → its logs → a variable changed → deployed again → rolled back. On every page
 * the rendered text (and the accessible names, placeholders and tooltips) holds no untranslated word; only what the
 * user typed or the API named (the app's name, the image, the person's name and e-mail…) may stay Latin.
 */

const screenshot = screenshots('zh-cn');
const run = randomBytes(3).toString('hex');
const person = { name: `Li Wei ${run}`, email: `liwei-${run}@example.com`, password: 'liwei-password-2046' };
const appName = `ni-hao-${run}`;
const body = `ni hao ${run}`;
const SETTLE_MS = 90_000;
/**
 * The Chinese dictionary as the dashboard ships it, for the labels to find things by. Loaded through vite at run
 * time: its imports are the web project's (extensionless, bundler resolution), which this project's checker does not
 * follow.
 */
const DICTIONARY = 'zh-CN';
const dictionary = ((await import(`../src/lib/i18n/messages/${DICTIONARY}`)) as { zhCN: Record<string, string> }).zhCN;
function zh(key: string): string {
  const text = dictionary[key];
  if (!text) throw new Error(`no ${key} in the ${DICTIONARY} dictionary`);
  return text;
}

describe('简体中文', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let image = '';
  let tenantSlug = '';

  /** The page's text in Chinese throughout, but for what the user typed or the API named. */
  async function allChinese(where: string): Promise<void> {
    // loaded: no loading state left (log and event streams keep the network busy, so not "network idle")
    await page.locator('.state-loading').first().waitFor({ state: 'detached' });
    const allow = [
      // what the platform named, first (the names below are parts of it): the app's URL, ids and digests
      /\b[a-z0-9.-]+\.localhost(:\d+)?\b/,
      /\b[0-9a-f]{7,64}\b/,
      appName,
      image,
      person.name,
      person.email,
      tenantSlug,
      body,
      // the app's default environment, a name the platform gave
      'production',
    ];
    expect(await untranslatedText(page, { allow }), where).toEqual([]);
  }

  beforeAll(async () => {
    [browser, image] = await Promise.all([launchBrowser(), ensureHttpImage(`zh-${run}`, body)]);
    context = await newContext(browser, inject('webUrl'));
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('picks 简体中文 on the sign-up page, and the choice outlives a reload', async () => {
    await page.goto('/signup');
    await page.getByTestId('locale-switcher').selectOption('zh-CN');
    await page.getByRole('button', { name: zh('auth.signup.submit') }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: zh('auth.signup.submit') }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await allChinese('sign-up');
    await screenshot(page, 'signup', { mobile: true });
  });

  it('signs up and lands in its team, in Chinese', async () => {
    await page.getByLabel(zh('auth.name'), { exact: true }).fill(person.name);
    await page.getByLabel(zh('auth.email'), { exact: true }).fill(person.email);
    await page.getByLabel(zh('auth.password'), { exact: true }).fill(person.password);
    await page.getByRole('button', { name: zh('auth.signup.submit') }).click();
    await page.waitForURL(/\/t\/[a-z0-9-]+$/);
    tenantSlug = new URL(page.url()).pathname.split('/')[2] ?? '';
    await page.getByTestId('tenant-details').waitFor();
    await allChinese('overview');
    await screenshot(page, 'overview', { mobile: true });
  });

  it('deploys an app from an image, and its URL answers', async () => {
    await page.goto(`/t/${tenantSlug}/apps/new`);
    const form = page.getByTestId('create-app-form');
    await form.waitFor();
    await allChinese('create app');
    await form.getByLabel(zh('apps.create.name'), { exact: true }).fill(appName);
    // what the API refuses reads in Chinese too: its words at the field, and the alert above
    await form.getByLabel(zh('apps.create.image'), { exact: true }).fill('NOT A/valid image');
    await form.getByLabel(zh('apps.create.port')).fill('8080');
    await form.getByRole('button', { name: zh('apps.create.submit') }).click();
    await form
      .getByTestId('field-error')
      .filter({ hasText: zh('apiText.imageReference') })
      .waitFor();
    await form.getByTestId('problem').getByText(zh('apiText.invalid')).waitFor();
    await allChinese('create app refused');
    await form.getByLabel(zh('apps.create.image'), { exact: true }).fill(image);
    await form.getByLabel(zh('apps.create.command')).fill(['httpd', '-f', '-vv', '-p', '8080', '-h', '/www'].join('\n'));
    await form.getByRole('button', { name: zh('apps.create.submit') }).click();
    await page.waitForURL(`**/t/${tenantSlug}/apps/${appName}`);
    await page
      .locator('[data-testid="app-summary"] [data-testid="app-status"][data-status="running"]')
      .waitFor({ timeout: SETTLE_MS });
    const url = (await page.getByTestId('app-summary').getByTestId('app-url').getAttribute('href')) ?? '';
    expect(url).toContain(`${appName}.${tenantSlug}`);
    await allChinese('app');
    await screenshot(page, 'app', { mobile: true });
  });

  it('follows the logs', async () => {
    await page.goto(`/t/${tenantSlug}/apps/${appName}/logs`);
    await page.locator('[data-testid="stream-state"][data-status="live"]').waitFor();
    await allChinese('logs');
  });

  it('changes a variable', async () => {
    await page.goto(`/t/${tenantSlug}/apps/${appName}/variables`);
    await page.getByRole('button', { name: zh('apps.variables.add') }).click();
    const dialog = page.getByTestId('variable-dialog');
    await allChinese('variable dialog');
    await dialog.getByLabel(zh('apps.variables.key')).fill('GREETING');
    await dialog.getByLabel(zh('apps.variables.value')).fill(`ni hao ${run}`);
    await dialog.getByRole('button', { name: zh('common.save') }).click();
    await page.locator('[data-testid="variable-row"][data-key="GREETING"]').waitFor();
    await allChinese('variables');
    await screenshot(page, 'variables', { mobile: true });
  });

  it('deploys again', async () => {
    await page.goto(`/t/${tenantSlug}/apps/${appName}`);
    const rows = page.getByTestId('deployment-row');
    await expect.poll(async () => rows.first().getAttribute('data-status'), { timeout: SETTLE_MS }).toBe('live');
    await allChinese('deployments');
    await page.getByRole('button', { name: zh('deployments.deploy'), exact: true }).click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    await page
      .getByTestId('deployment-view')
      .locator('[data-testid="deployment-status"][data-status="live"]')
      .waitFor({ timeout: SETTLE_MS });
    await allChinese('deployment');
    await screenshot(page, 'deployment', { mobile: true });
  });

  it('rolls back', async () => {
    const rows = page.getByTestId('deployment-row');
    await page.goto(`/t/${tenantSlug}/apps/${appName}`);
    await expect.poll(async () => rows.count(), { timeout: SETTLE_MS }).toBe(2);
    await rows
      .last()
      .getByRole('button', { name: zh('deployments.rollback') })
      .click();
    await allChinese('roll back confirmation');
    await page
      .getByTestId('confirm-dialog')
      .getByRole('button', { name: zh('deployments.rollback.confirm') })
      .click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    await page
      .getByTestId('deployment-view')
      .locator('[data-testid="deployment-status"][data-status="live"]')
      .waitFor({ timeout: SETTLE_MS });
    await allChinese('rolled back');
  });

  it('shows the other sections in Chinese too', async () => {
    for (const section of ['apps', 'clusters', 'cloud-accounts', 'git-connections', 'registries', 'members', 'tokens', 'audit']) {
      await page.goto(`/t/${tenantSlug}/${section}`);
      await page.locator('main h1').waitFor();
      await allChinese(section);
    }
  });
});
