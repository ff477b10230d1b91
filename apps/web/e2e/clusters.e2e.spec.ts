import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

/*
 * Clusters and hosts against the real API. The browser stack's worker has no `host` role (global-setup.ts): a host
 * added here stays `requested`, which is what the page shows and what removing it ends at once (`terminated`).
 * The provisioning itself is tested in tests/workloads/hosts.e2e.spec.ts.
 */

const screenshot = screenshots('clusters');
const run = randomBytes(3).toString('hex');
const person = { name: 'Cyrus Cluster', email: `cyrus-${run}@example.com`, password: 'cyrus-password-443' };

/** Plans are an operator's act (the admin pages): the team plan, which has room for clusters and hosts. */
async function moveToTeamPlan(slug: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('ownerDatabaseUrl') });
  await client.connect();
  try {
    const result = await client.query(`update tenants set plan_id = 'team' where slug = $1`, [slug]);
    expect(result.rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

describe('clusters and hosts', () => {
  let browser: Browser;
  let page: Page;
  let tenantSlug = '';

  const hostRow = (name: string) => page.locator(`[data-testid="host-row"][data-name="${name}"]`);
  const clusterRow = (name: string) => page.locator(`[data-testid="cluster-row"][data-name="${name}"]`);

  /** Clicks `button`: the status the API answered the request to `path` with. */
  async function answered(method: string, path: RegExp, click: () => Promise<void>): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname)),
      click(),
    ]);
    return response.status();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await newContext(browser, inject('webUrl'))).newPage();
    tenantSlug = await signUp(page, person);
    await moveToTeamPlan(tenantSlug);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the shared cluster, from the navigation beside Cloud accounts', async () => {
    await page.getByRole('link', { name: 'Clusters', exact: true }).click();
    await page.waitForURL(/\/clusters$/);
    await page.locator('[data-testid="cluster-row"][data-kind="shared"]').first().waitFor();
    await screenshot(page, 'list', { mobile: true });
  });

  it('creates a dedicated cluster: a bad name is shown at its field, a good one opens the cluster', async () => {
    await page.getByTestId('create-cluster').click();
    const dialog = page.getByTestId('create-cluster-dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Prod Cluster!');
    const create = () => dialog.getByRole('button', { name: 'Create cluster' }).click();
    expect(await answered('POST', /\/clusters$/, create)).toBe(400);
    await dialog.getByTestId('field-error').waitFor();
    expect(await dialog.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Name', { exact: true }).fill('prod');
    expect(await answered('POST', /\/clusters$/, create)).toBe(201);
    await page.waitForURL(/\/clusters\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('cluster-domain').textContent()).toBe(`prod.${tenantSlug}.${inject('appsDomain')}`);
    await page.getByText('No hosts yet.').waitFor();
    await page.getByTestId('byo-open').waitFor();
    await screenshot(page, 'empty-cluster', { mobile: true });
  });

  it('adds a local host, offered the local provider’s region and instance type, and shows it requested', async () => {
    await page.getByRole('button', { name: 'Add host' }).click();
    const dialog = page.getByTestId('add-host-dialog');
    expect(await dialog.getByLabel('Provider', { exact: true }).inputValue()).toBe('local');
    await expect.poll(() => dialog.getByLabel('Region', { exact: true }).inputValue()).toBe('local');
    await expect.poll(() => dialog.getByLabel('Instance type', { exact: true }).inputValue()).toBe('local.small');
    await dialog.getByLabel('Name', { exact: true }).fill('edge-1');
    await screenshot(page, 'add-host');
    expect(await answered('POST', /\/hosts$/, () => dialog.getByRole('button', { name: 'Add host' }).click())).toBe(202);
    await dialog.waitFor({ state: 'detached' });

    const row = hostRow('edge-1');
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('requested');
    expect(await row.getByTestId('host-state').textContent()).toBe('requested');
    expect(await row.textContent()).toContain('local.small');
    await screenshot(page, 'host-requested', { mobile: true });
  });

  it('refuses to delete the cluster while it has a host, saying so in the confirmation', async () => {
    await page.getByRole('button', { name: 'Delete cluster' }).click();
    const dialog = page.getByTestId('delete-cluster-dialog');
    await dialog.getByText('Delete cluster prod?').waitFor();
    await dialog.getByLabel('Type prod to confirm').fill('prod');
    const confirm = () => dialog.getByRole('button', { name: 'Delete cluster' }).click();
    expect(await answered('DELETE', /\/clusters\/[0-9a-f-]{36}$/, confirm)).toBe(409);
    await dialog.getByTestId('problem').getByText('still has 1 host(s)', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('removes the host after a confirmation naming it', async () => {
    await hostRow('edge-1').getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByTestId('remove-host-dialog');
    await dialog.getByText('Remove host edge-1?').waitFor();
    expect(await dialog.textContent()).toContain('drains edge-1');
    const confirm = () => dialog.getByRole('button', { name: 'Remove host' }).click();
    expect(await answered('DELETE', /\/hosts\/[0-9a-f-]{36}$/, confirm)).toBe(202);
    // never created, so it ends at once
    await expect.poll(() => hostRow('edge-1').getAttribute('data-state')).toBe('terminated');
    expect(await hostRow('edge-1').getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await screenshot(page, 'host-terminated');
  });

  it('adds its own server: the install command shown once, the server listed bootstrapping, removed at once', async () => {
    await page.getByTestId('byo-open').click();
    const dialog = page.getByTestId('byo-dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Office 1');
    const submit = () => dialog.getByRole('button', { name: 'Get the install command' }).click();
    expect(await answered('POST', /\/hosts$/, submit)).toBe(400);
    await dialog.getByTestId('field-error').waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill('office-1');
    expect(await answered('POST', /\/hosts$/, submit)).toBe(202);

    const shown = page.getByTestId('byo-command-dialog');
    const command = await shown.getByTestId('byo-command').inputValue();
    expect(command).toMatch(/^curl -fsSL '.+\/api\/v1\/install\/[A-Za-z0-9_-]+' \| sudo sh$/);
    await screenshot(page, 'byo-command');
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    expect(await hostRow('office-1').getAttribute('data-state')).toBe('bootstrapping');
    // the command is never shown again: no read of the host carries it
    expect(await page.getByTestId('hosts-section').textContent()).not.toContain('/api/v1/install/');

    await hostRow('office-1').getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByTestId('remove-host-dialog');
    expect(
      await answered('DELETE', /\/hosts\/[0-9a-f-]{36}$/, () => confirm.getByRole('button', { name: 'Remove host' }).click()),
    ).toBe(202);
    // its agent never registered: nothing to drain, it ends at once
    await expect.poll(() => hostRow('office-1').getAttribute('data-state')).toBe('terminated');
  });

  it('deletes the empty cluster after typing its name, and lists it no more', async () => {
    await page.getByRole('button', { name: 'Delete cluster' }).click();
    const dialog = page.getByTestId('delete-cluster-dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete cluster' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type prod to confirm').fill('prod');
    expect(await answered('DELETE', /\/clusters\/[0-9a-f-]{36}$/, () => confirm.click())).toBe(204);
    await page.waitForURL(/\/clusters$/);
    await page.locator('[data-testid="cluster-row"][data-kind="shared"]').first().waitFor();
    expect(await clusterRow('prod').count()).toBe(0);
  });
});
