import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type GitServer, startGitServer } from '../../../tests/support/git-server.js';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import { appSection, BUILD_MS, callApi, redeployToProduction, runningBuiltApp, sample, served } from './builds-support.js';
import './provided.js';

const screenshot = screenshots('builds');
const run = randomBytes(3).toString('hex');
const person = { name: 'Linus Builds', email: `linus-${run}@example.com`, password: 'linus-password-8080' };
const appName = `node-${run}`;
const SAMPLE = fileURLToPath(new URL('../../../tests/fixtures/build-samples/node', import.meta.url));
const GREETING = 'hello from the node sample';

describe('builds from source', () => {
  let browser: Browser;
  let page: Page;
  let git: GitServer;
  let tenantSlug = '';
  let repoUrl = '';
  let commit = '';
  let appUrl = '';

  beforeAll(async () => {
    [browser, git] = await Promise.all([launchBrowser(), startGitServer()]);
    await git.createRepo(appName);
    commit = await git.push(appName, { dir: SAMPLE }, { message: `the node sample of ${run}` });
    repoUrl = git.repoUrl(appName);
    const context = await newContext(browser, inject('webUrl'));
    page = await context.newPage();
    tenantSlug = await signUp(page, person);
  });

  afterAll(async () => {
    await browser?.close();
    await git?.close();
  });

  it('offers a git connection, and shows a bad build arg at its field', async () => {
    await page.goto(`/t/${tenantSlug}/apps/new`);
    const form = page.getByTestId('create-app-form');
    await form.getByLabel('A Git repository').check();
    await form.getByRole('button', { name: 'A connected account' }).click();
    await form.getByText('No git account is connected yet.').waitFor();
    await form.getByTestId('connect-inline').waitFor();
    await form.getByRole('button', { name: 'Repository URL' }).click();

    await form.getByLabel('Name', { exact: true }).fill(appName);
    await form.getByLabel('Repository URL').fill(repoUrl);
    await form.getByLabel('Build args', { exact: true }).fill('NODE_ENV=production\nnot an arg');
    await form.getByRole('button', { name: 'Create app' }).click();
    await form.getByTestId('field-error').filter({ hasText: 'Write KEY=value on line 2.' }).waitFor();
    await screenshot(page, 'create-source', { mobile: true });
  });

  it('creates the app from a pasted URL and follows its first build live', async () => {
    const form = page.getByTestId('create-app-form');
    await form.getByLabel('Build args', { exact: true }).fill('');
    await form.getByLabel('CPU per replica (millicores)').fill('200');
    await form.getByRole('button', { name: 'Create app' }).click();
    await page.waitForURL(new RegExp(`/apps/${appName}/builds/[0-9a-f-]{36}$`));
    const view = page.getByTestId('build-view');
    await view.getByRole('heading', { name: 'Build #1' }).waitFor();

    // a line of the log is on the page while the build still runs, streamed
    await expect
      .poll(
        async () => {
          const now = await sample(view);
          return now.lines > 0 && now.status === 'running' && now.stream === 'live' ? 'live' : now.status;
        },
        { timeout: BUILD_MS, interval: 150 },
      )
      .toBe('live');
    await screenshot(page, 'build-running', { mobile: true });

    await view.locator('[data-testid="build-status"][data-status="succeeded"]').waitFor({ timeout: BUILD_MS });
    await view.locator('[data-testid="stream-state"][data-status="ended"]').waitFor();
    // the build as read again after its log ended: what it made
    expect(await view.getByTestId('build-image').textContent()).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(await view.getByTestId('build-ref').textContent()).toBe(`main@${commit.slice(0, 7)}`);
    expect(await view.getByTestId('build-subject').textContent()).toBe(`the node sample of ${run}`);
    const plan = view.getByTestId('build-plan');
    expect(await plan.getAttribute('data-generated')).toBe('true');
    await plan.getByText('Wharf wrote this Dockerfile').waitFor();
    expect(await plan.getByTestId('plan-dockerfile').textContent()).toMatch(/^FROM /m);
    // the log panel follows the newest line
    const log = view.getByTestId('build-log');
    expect(await log.evaluate((panel) => panel.scrollHeight - panel.scrollTop - panel.clientHeight)).toBeLessThan(30);
    await screenshot(page, 'build-succeeded', { mobile: true });
  });

  it('deploys what it built: the app answers at its URL', async () => {
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByText(appName).waitFor();
    appUrl = await runningBuiltApp(page, appName, tenantSlug);
    await expect.poll(() => served(appUrl), { timeout: 60_000, interval: 500 }).toBe(GREETING);
  });

  it('lists the build and redeploys it from its page', async () => {
    await appSection(page, 'Builds').click();
    const row = page.getByTestId('build-row').first();
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect(await row.getByTestId('build-ref').textContent()).toBe(`main@${commit.slice(0, 7)}`);
    await screenshot(page, 'builds', { mobile: true });

    await row.getByTestId('build-link').click();
    await page.waitForURL(/\/builds\/[0-9a-f-]{36}$/);
    const deployment = await redeployToProduction(page);
    expect(await deployment.getByText('Revision 2').count()).toBe(1);
    expect(await served(appUrl)).toBe(GREETING);
  });

  it('shows the source: repository, tracked branch, webhook with a new secret once, settings errors at their fields', async () => {
    await appSection(page, 'Source').click();
    const view = page.getByTestId('source-view');
    expect(await view.getByTestId('source-repository').textContent()).toBe(repoUrl);
    expect(await view.getByTestId('source-tracking').textContent()).toBe('production ← main');
    const webhook = page.getByTestId('webhook-card');
    expect(await webhook.getByTestId('webhook-url').inputValue()).toMatch(/\/api\/v1\/hooks\/[A-Za-z0-9_-]{16,64}$/);
    expect(await webhook.getByTestId('webhook-secret').count()).toBe(0);
    await webhook.getByRole('button', { name: 'New secret' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'New secret' }).click();
    expect((await webhook.getByTestId('webhook-secret').inputValue()).length).toBeGreaterThan(20);

    const form = page.getByTestId('source-form');
    await form.getByLabel('Build context').fill('../outside');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByTestId('field-error').filter({ hasText: 'a path inside the repository' }).waitFor();
    await form.getByLabel('Build context').fill('.');
    await form.getByLabel('Target stage (optional)').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByTestId('source-saved').waitFor();
    await screenshot(page, 'source', { mobile: true });
  });
  it('builds a branch now, and cancels the build while it runs', async () => {
    // a commit whose build takes minutes: cancelled long before it ends
    const slow = 'FROM 127.0.0.1:5000/wharf/base/node:20\nRUN sleep 300\nCMD ["node", "server.js"]\n';
    await git.push(appName, { Dockerfile: slow }, { message: 'a slow build' });
    await appSection(page, 'Builds').click();
    await page.getByRole('button', { name: 'Build now' }).click();
    const dialog = page.getByTestId('build-now-dialog');
    expect(await dialog.getByLabel('Branch').inputValue()).toBe('main');
    await dialog.getByRole('button', { name: 'Build', exact: true }).click();
    await page.waitForURL(/\/builds\/[0-9a-f-]{36}$/);
    const view = page.getByTestId('build-view');
    await view.getByRole('heading', { name: 'Build #2' }).waitFor();
    await view.getByTestId('build-log-line').filter({ hasText: 'sleep 300' }).first().waitFor({ timeout: BUILD_MS });
    await view.getByRole('button', { name: 'Cancel build' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel build' }).click();
    await view.locator('[data-testid="build-status"][data-status="cancelled"]').waitFor({ timeout: 60_000 });
    expect(await view.getByRole('button', { name: 'Cancel build' }).count()).toBe(0);
    expect(await served(appUrl)).toBe(GREETING);
  });

  it('connects a git account (a refused token at its field), then picks a repository and branch from it', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Git connections' }).click();
    await page.waitForURL(`**/t/${tenantSlug}/git-connections`);
    await page.getByText('No accounts connected').waitFor();
    const form = page.getByTestId('add-git-connection-form');
    await form.getByLabel('Access token').fill('not-the-token');
    await form.getByRole('button', { name: 'Connect' }).click();
    await form.getByTestId('field-error').waitFor();
    await form.getByLabel('Access token').fill(inject('gitHostingToken'));
    await form.getByRole('button', { name: 'Connect' }).click();
    await page.locator('[data-testid="git-connection-row"][data-account="octo"][data-provider="github"]').waitFor();
    await screenshot(page, 'git-connections', { mobile: true });

    await page.goto(`/t/${tenantSlug}/apps/new`);
    const create = page.getByTestId('create-app-form');
    await create.getByLabel('A Git repository').check();
    await create.getByRole('button', { name: 'A connected account' }).click();
    const repository = create.getByTestId('repository-select');
    // the placeholder and the fake's 12 repositories
    await expect.poll(() => repository.locator('option').count(), { timeout: 30_000 }).toBe(13);
    await repository.selectOption('octo/repo-0001');
    const branch = create.getByTestId('branch-select');
    await expect
      .poll(async () => (await branch.locator('option').allTextContents()).sort(), { timeout: 30_000 })
      .toEqual(['branch-1', 'branch-2', 'main']);
    expect(await branch.inputValue()).toBe('main');
    await branch.selectOption('branch-1');
    await create.getByLabel('Name', { exact: true }).fill(`conn-${run}`);
    await screenshot(page, 'create-from-connection', { mobile: true });
    await create.getByRole('button', { name: 'Create app' }).click();

    // the fake hosts no git repository: the build fails, saying why
    await page.waitForURL(new RegExp(`/apps/conn-${run}/builds/[0-9a-f-]{36}$`));
    const view = page.getByTestId('build-view');
    await view.locator('[data-testid="build-status"][data-status="failed"]').waitFor({ timeout: BUILD_MS });
    expect(await view.getByTestId('build-ref').textContent()).toMatch(/^branch-1/);
    expect((await view.getByTestId('build-reason').textContent())?.length).toBeGreaterThan(0);
    expect(await view.getByRole('button', { name: 'Redeploy this build' }).count()).toBe(0);
    await screenshot(page, 'build-failed', { mobile: true });
  });

  it('refuses to disconnect an account an app builds through, saying so', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Git connections' }).click();
    const row = page.locator('[data-testid="git-connection-row"][data-account="octo"]');
    await row.getByRole('button', { name: 'Disconnect' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await dialog.getByTestId('problem').filter({ hasText: 'An app builds through this connection' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.count()).toBe(1);
  });
  it('shows a viewer the builds, source and connections with every change disabled, saying why', async () => {
    const viewer = { name: 'Vera Viewer', email: `vera-${run}@example.com`, password: 'vera-password-8080' };
    const owner = await callApi<{ accessToken: string }>('POST', '/auth/login', undefined, {
      email: person.email,
      password: person.password,
    });
    const invited = await callApi<{ token: string }>('POST', `/tenants/${tenantSlug}/invitations`, owner.accessToken, {
      email: viewer.email,
      role: 'viewer',
    });
    const signedUp = await callApi<{ accessToken: string }>('POST', '/auth/signup', undefined, viewer);
    await callApi('POST', '/invitations/accept', signedUp.accessToken, { token: invited.token });

    const context = await newContext(browser, inject('webUrl'));
    const viewerPage = await context.newPage();
    await viewerPage.goto('/login');
    await viewerPage.getByLabel('Email', { exact: true }).fill(viewer.email);
    await viewerPage.getByLabel('Password', { exact: true }).fill(viewer.password);
    await viewerPage.getByRole('button', { name: 'Sign in' }).click();
    await viewerPage.waitForURL(/\/t\/[a-z0-9-]+$/);
    const denied = /^Requires the .*Developer role\.$/;

    await viewerPage.goto(`/t/${tenantSlug}/apps/${appName}/builds`);
    const buildNow = viewerPage.getByRole('button', { name: 'Build now' });
    await viewerPage.getByTestId('build-row').first().waitFor();
    expect(await buildNow.isDisabled()).toBe(true);
    expect(await buildNow.getAttribute('title')).toMatch(denied);
    await viewerPage.getByTestId('build-link').last().click();
    const view = viewerPage.getByTestId('build-view');
    await view.locator('[data-testid="build-status"][data-status="succeeded"]').waitFor();
    const redeploy = view.getByRole('button', { name: 'Redeploy this build' });
    expect(await redeploy.isDisabled()).toBe(true);
    expect(await redeploy.getAttribute('title')).toMatch(denied);
    expect(await view.getByRole('button', { name: 'Edit and save as override…' }).isDisabled()).toBe(true);
    await view.getByTestId('build-log-line').first().waitFor();

    await appSection(viewerPage, 'Source').click();
    const form = viewerPage.getByTestId('source-form');
    await form.getByText(denied).waitFor();
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(await viewerPage.getByTestId('webhook-card').getByRole('button', { name: 'New secret' }).isDisabled()).toBe(true);
    await screenshot(viewerPage, 'source-as-viewer');

    await viewerPage.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Git connections' }).click();
    const row = viewerPage.locator('[data-testid="git-connection-row"][data-account="octo"]');
    await row.waitFor();
    expect(await row.getByRole('button', { name: 'Disconnect' }).isDisabled()).toBe(true);
    expect(await viewerPage.getByTestId('add-git-connection-form').getByRole('button', { name: 'Connect' }).isDisabled()).toBe(
      true,
    );
    await context.close();
  });
  it('switches the source to a deploy key: refused for an HTTPS URL at its field, then shows the key to add', async () => {
    await page.goto(`/t/${tenantSlug}/apps/${appName}/source`);
    const form = page.getByTestId('source-form');
    await form.getByLabel('Access', { exact: true }).selectOption('ssh');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByTestId('field-error').filter({ hasText: 'a deploy key needs an SSH repository URL' }).waitFor();
    expect(await page.getByTestId('deploy-key').count()).toBe(0);

    await form.getByLabel('Repository URL').fill(`git@127.0.0.1:wharf/${appName}.git`);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByTestId('source-saved').waitFor();
    const key = page.getByTestId('deploy-key');
    expect(await key.inputValue()).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ /);
    expect(await page.getByTestId('source-access').textContent()).toBe('Deploy key (SSH)');
    await page.getByTestId('source-view').getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByTestId('deploy-key-status').textContent()).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await key.inputValue());
    await screenshot(page, 'source-deploy-key', { mobile: true });
  });
});
