import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureHttpImage } from '../../../tests/support/engine.js';
import { type GitServer, startGitServer } from '../../../tests/support/git-server.js';
import { checkA11y } from './a11y.js';
import { DESKTOP, launchBrowser, MOBILE, makePlatformAdmin, newContext, screenshots, signUp } from './browser.js';
import { BUILD_MS, SETTLE_MS } from './builds-support.js';
import { FIRST_LOAD_BUDGET_KB, firstLoadJs } from './first-load-js.js';
import { focusWalk, logInWithKeyboard } from './keyboard.js';
import './provided.js';

/*
 * Every main page of the dashboard, with content, at 1280 and 375 px: loaded (no loading state), screenshot at both
 * widths (failing when the page scrolls sideways at 375 px), and axe-core's WCAG 2.1 A/AA rules at both widths
 * (failing on serious and critical violations; every result in artifacts/a11y). Plus the sign-in form by keyboard.
 */

const screenshot = screenshots('tour');
const run = randomBytes(3).toString('hex');
const person = { name: 'Tess Tour', email: `tess-${run}@example.com`, password: 'tess-password-4040' };
const imageApp = `tour-${run}`;
const sourceApp = `built-${run}`;
const ADMIN_PAGES = fileURLToPath(new URL('../src/app/admin/', import.meta.url));
/** httpd in the foreground, as the create form takes a command: one argument per line. */
const COMMAND = ['httpd', '-f', '-p', '8080', '-h', '/www'].join('\n');
/** A value with no space to break at: it must wrap (or fold) rather than widen the page. */
const LONG_VALUE = `tour-${'x'.repeat(180)}`;

/** Plans are an operator's act, no page offers it: the team plan, which has room for a dedicated cluster. */
async function moveToTeamPlan(slug: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('ownerDatabaseUrl') });
  await client.connect();
  try {
    expect((await client.query(`update tenants set plan_id = 'team' where slug = $1`, [slug])).rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

/** Waits for `ready` (a selector of the page's content) and until nothing on the page is loading any more. */
async function settled(page: Page, ready: string): Promise<void> {
  await page.locator(ready).first().waitFor({ timeout: SETTLE_MS });
  await page.waitForFunction(() => !document.querySelector('.state-loading, [aria-busy="true"]'));
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/**
 * The page as it is now: axe at 1280 px and at 375 px, then the screenshots (375 px fails on sideways scrolling).
 * Every check runs; the failure lists them all.
 */
async function audit(page: Page, name: string): Promise<void> {
  const failures: string[] = [];
  const attempt = async (check: () => Promise<void>) => {
    try {
      await check();
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  };
  await attempt(() => checkA11y(page, `${name}-desktop`));
  await page.setViewportSize(MOBILE);
  await attempt(() => checkA11y(page, `${name}-375`));
  await page.setViewportSize(DESKTOP);
  await attempt(() => screenshot(page, name, { mobile: true }));
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

async function visit(page: Page, name: string, path: string, ready: string): Promise<void> {
  await page.goto(path);
  await settled(page, ready);
  await audit(page, name);
}

describe('console tour', () => {
  let browser: Browser;
  let page: Page;
  let git: GitServer;
  let image = '';
  let slug = '';
  let tenantPath = '';
  let deploymentPath = '';
  let buildPath = '';
  let clusterPath = '';

  beforeAll(async () => {
    [browser, git, image] = await Promise.all([launchBrowser(), startGitServer(), ensureHttpImage(`tour-${run}`, run)]);
    await git.createRepo(sourceApp);
    await git.push(sourceApp, { Dockerfile: `FROM ${image}\n` }, { message: `the tour's source of ${run}` });
    page = await (await newContext(browser, inject('webUrl'))).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await git?.close();
  });

  describe('signed out', () => {
    it('sign-in page', async () => {
      await visit(page, 'login', '/login', 'form[aria-labelledby="login-title"]');
    });

    it('sign-up page', async () => {
      await visit(page, 'signup', '/signup', 'form');
    });
  });

  describe('a tenant with apps', () => {
    beforeAll(async () => {
      slug = await signUp(page, person);
      tenantPath = `/t/${slug}`;
      await moveToTeamPlan(slug);
    });

    it('creates an app from an image and sees it run', async () => {
      await page.goto(`${tenantPath}/apps/new`);
      await settled(page, '[data-testid="create-app-form"]');
      await audit(page, 'create-app');
      const form = page.getByTestId('create-app-form');
      await form.getByLabel('Name', { exact: true }).fill(imageApp);
      await form.getByLabel('Image', { exact: true }).fill(image);
      await form.getByLabel('HTTP port').fill('8080');
      await form.getByLabel('Command (optional)').fill(COMMAND);
      await form.getByRole('button', { name: 'Add variable' }).click();
      const variable = form.getByTestId('variable-input-row');
      await variable.getByLabel('Key').fill('GREETING');
      await variable.getByLabel('Value').fill(LONG_VALUE);
      await form.getByRole('button', { name: 'Create app' }).click();
      await page.waitForURL(`**${tenantPath}/apps/${imageApp}`);
      await page
        .locator('[data-testid="app-summary"] [data-testid="app-status"][data-status="running"]')
        .waitFor({ timeout: SETTLE_MS });
      const rows = page.getByTestId('deployment-row');
      await expect.poll(async () => rows.first().getAttribute('data-status'), { timeout: SETTLE_MS }).toBe('live');
      deploymentPath = new URL((await rows.first().getByTestId('deployment-link').getAttribute('href')) ?? '', inject('webUrl'))
        .pathname;
    });

    it('creates an app from a git repository and follows its build to the end', async () => {
      await page.goto(`${tenantPath}/apps/new`);
      const form = page.getByTestId('create-app-form');
      await form.getByLabel('A Git repository').check();
      await form.getByRole('button', { name: 'Repository URL' }).click();
      await form.getByLabel('Name', { exact: true }).fill(sourceApp);
      await form.getByLabel('Repository URL').fill(git.repoUrl(sourceApp));
      await form.getByRole('button', { name: 'Create app' }).click();
      await page.waitForURL(new RegExp(`/apps/${sourceApp}/builds/[0-9a-f-]{36}$`));
      buildPath = new URL(page.url()).pathname;
      await page.locator('[data-testid="build-view"] [data-testid="stream-state"][data-status="ended"]').waitFor({
        timeout: BUILD_MS,
      });
    });

    it('connects a git account, a registry login, a token and a dedicated cluster', async () => {
      await page.goto(`${tenantPath}/git-connections`);
      const connection = page.getByTestId('add-git-connection-form');
      await connection.getByLabel('Access token').fill(inject('gitHostingToken'));
      await connection.getByRole('button', { name: 'Connect' }).click();
      await page.getByTestId('git-connection-row').first().waitFor();

      await page.goto(`${tenantPath}/registries`);
      const registry = page.getByTestId('add-registry-form');
      await registry.getByLabel('Registry').fill(`registry-${run}.example.com:5000`);
      await registry.getByLabel('Username').fill('robot');
      await registry.getByLabel('Password or token').fill(`secret-${run}`);
      await registry.getByRole('button', { name: 'Add login' }).click();
      await page.getByTestId('registry-row').first().waitFor();

      await page.goto(`${tenantPath}/tokens`);
      const token = page.getByTestId('create-token-form');
      await token.getByLabel('Token name').fill(`ci-${run}`);
      await token.getByRole('button', { name: 'Create token' }).click();
      await page.getByTestId('token-created').waitFor();

      await page.goto(`${tenantPath}/clusters`);
      await page.getByTestId('create-cluster').click();
      const dialog = page.getByTestId('create-cluster-dialog');
      await dialog.getByLabel('Name', { exact: true }).fill('prod');
      await dialog.getByRole('button', { name: 'Create cluster' }).click();
      await page.waitForURL(/\/clusters\/[0-9a-f-]{36}$/);
      clusterPath = new URL(page.url()).pathname;
    });

    const appPage = (app: () => string, path: string) => () => `${tenantPath}/apps/${app()}${path}`;
    const pages: [name: string, path: () => string, ready: string][] = [
      ['overview', () => tenantPath, '[data-testid="tenant-details"]'],
      ['apps', () => `${tenantPath}/apps`, '[data-testid="app-row"]'],
      ['app', appPage(() => imageApp, ''), '[data-testid="deployment-row"]'],
      ['deployment', () => deploymentPath, '[data-testid="stream-state"][data-status="ended"]'],
      ['logs', appPage(() => imageApp, '/logs'), '[data-testid="stream-state"][data-status="live"]'],
      ['variables', appPage(() => imageApp, '/variables'), '[data-testid="variable-row"]'],
      ['environments', appPage(() => imageApp, '/environments'), '[data-testid="environments-table"]'],
      ['environment', appPage(() => imageApp, '/environments/production'), '[data-testid="environment-view"]'],
      ['builds', appPage(() => sourceApp, '/builds'), '[data-testid="build-row"]'],
      ['build', () => buildPath, '[data-testid="build-view"] [data-testid="stream-state"][data-status="ended"]'],
      ['source', appPage(() => sourceApp, '/source'), '[data-testid="source-view"]'],
      ['clusters', () => `${tenantPath}/clusters`, '[data-testid="cluster-row"]'],
      ['cluster', () => clusterPath, '[data-testid="cluster-facts"]'],
      [
        'cloud-accounts',
        () => `${tenantPath}/cloud-accounts`,
        '[data-testid="cloud-accounts-table"], [data-testid="empty-state"]',
      ],
      ['connect-cloud', () => `${tenantPath}/cloud-accounts/new`, '[data-testid="connect-cloud-form"]'],
      ['git-connections', () => `${tenantPath}/git-connections`, '[data-testid="git-connection-row"]'],
      ['registries', () => `${tenantPath}/registries`, '[data-testid="registry-row"]'],
      ['members', () => `${tenantPath}/members`, '[data-testid="members-table"]'],
      ['tokens', () => `${tenantPath}/tokens`, '[data-testid="tokens-table"]'],
      ['audit', () => `${tenantPath}/audit`, '[data-testid="audit-table"]'],
    ];
    for (const [name, path, ready] of pages) {
      it(`${name} page`, async () => {
        await visit(page, name, path(), ready);
      });
    }

    // the create page once carried CodeMirror (for the compose choice only): ~390 KB
    it('keeps the first-load JavaScript of the overview, the apps list and the create page within budget', async () => {
      for (const path of [tenantPath, `${tenantPath}/apps`, `${tenantPath}/apps/new`]) {
        const load = await firstLoadJs(page.context(), path);
        expect({ status: load.status, failedScripts: load.failedScripts }, path).toEqual({ status: 200, failedScripts: [] });
        expect(load.kb, path).toBeLessThan(FIRST_LOAD_BUDGET_KB);
      }
    });
  });

  describe('by keyboard, then as the platform admin', () => {
    let admin: Page;

    beforeAll(async () => {
      await makePlatformAdmin(person.email);
      admin = await (await newContext(browser, inject('webUrl'))).newPage();
    });

    it('reaches the sign-in fields and button in visual order, with a visible focus ring, and submits with Enter', async () => {
      await admin.goto('/login');
      await settled(admin, 'form[aria-labelledby="login-title"]');
      const stops = await focusWalk(admin, 'form[aria-labelledby="login-title"]');
      expect(stops.map((stop) => stop.name)).toEqual(['Email', 'Password', 'Sign in', 'Create an account']);
      for (const [before, after] of stops.slice(0, -1).map((stop, i) => [stop, stops[i + 1]] as const)) {
        expect(after?.top, `${after?.name} below ${before.name}`).toBeGreaterThan(before.top);
      }
      expect(stops.filter((stop) => !stop.ring).map((stop) => stop.name)).toEqual([]);
      await logInWithKeyboard(admin, person);
      await admin.waitForURL(/\/t\/[a-z0-9-]+$/);
    });

    const adminPages: [name: string, ready: string][] = [
      ['tenants', '[data-testid="admin-tenants-table"]'],
      ['queues', 'main h1'],
      ['clusters', 'main h1'],
    ];
    for (const [name, ready] of adminPages) {
      it.runIf(existsSync(`${ADMIN_PAGES}${name}/page.tsx`))(`admin ${name} page`, async () => {
        await visit(admin, `admin-${name}`, `/admin/${name}`, ready);
      });
    }
  });
});
