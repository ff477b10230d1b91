import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureHttpImage } from '../../../tests/support/engine.js';
import { launchBrowser, logIn, makePlatformAdmin, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

/*
 * The operator's levers as a tenant meets them: the admin lowers the tenant's CPU quota to what its app uses now, and
 * the tenant's next scale is refused with the limit shown; the admin suspends the tenant, and its owner sees why
 * and finds every change refused — the controls disabled, and the API refusing what a stale page still sends.
 */

const screenshot = screenshots('admin-journey');
const webUrl = inject('webUrl');
const run = randomBytes(3).toString('hex');
const admin = { name: 'Olga Operator', email: `olga-${run}@example.com`, password: 'olga-password-451' };
const owner = { name: 'Tariq Tenant', email: `tariq-${run}@example.com`, password: 'tariq-password-822' };
const appName = `limited-${run}`;
const reason = `Abuse report #${run}`;
/** A deployment pulls, starts and routes: give it time on a loaded machine. */
const SETTLE_MS = 90_000;

describe('an admin limits a tenant', () => {
  let browser: Browser;
  let adminPage: Page;
  let ownerPage: Page;
  let tenantSlug = '';
  let image = '';

  const tenantRow = () => adminPage.locator(`[data-testid="admin-tenant-row"][data-slug="${tenantSlug}"]`);

  beforeAll(async () => {
    [browser, image] = await Promise.all([launchBrowser(), ensureHttpImage(`limits-${run}`, `limits ${run}`)]);
    [adminPage, ownerPage] = await Promise.all([
      newContext(browser, webUrl).then((c) => c.newPage()),
      newContext(browser, webUrl).then((c) => c.newPage()),
    ]);
    tenantSlug = await signUp(ownerPage, owner);
    await signUp(adminPage, admin);
    await makePlatformAdmin(admin.email);
    // the admin claim is in the access token: it takes effect from the next sign-in
    await adminPage.getByRole('button', { name: 'Log out' }).click();
    await adminPage.waitForURL('**/login');
    await logIn(adminPage, admin);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the tenant runs an app of one replica', async () => {
    await ownerPage.goto(`/t/${tenantSlug}/apps/new`);
    const form = ownerPage.getByTestId('create-app-form');
    await form.getByLabel('Name', { exact: true }).fill(appName);
    await form.getByLabel('Image', { exact: true }).fill(image);
    await form.getByLabel('HTTP port').fill('8080');
    await form.getByLabel('Command (optional)').fill(['httpd', '-f', '-p', '8080', '-h', '/www'].join('\n'));
    await form.getByRole('button', { name: 'Create app' }).click();
    await ownerPage.waitForURL(`**/t/${tenantSlug}/apps/${appName}`);
    await ownerPage
      .locator('[data-testid="app-summary"] [data-testid="app-status"][data-status="running"]')
      .waitFor({ timeout: SETTLE_MS });
  });

  it('the admin lowers its CPU quota to what it uses now, seeing the use beside the limit', async () => {
    await adminPage.goto(`/admin/tenants?q=${tenantSlug}`);
    await tenantRow().getByRole('button', { name: 'Quotas' }).click();
    const dialog = adminPage.getByTestId('quota-dialog');
    const cpu = dialog.getByLabel('CPU', { exact: true });
    // the hint beside the field: the plan's limit and what the tenant uses now
    const hint = (await dialog.getByText(/^Plan: [\d,]+ millicores · in use: [\d,]+$/).textContent()) ?? '';
    const used = Number(hint.replace(/.*in use: /, '').replace(/,/g, ''));
    expect(used).toBeGreaterThan(0);
    await cpu.fill(String(used));
    await screenshot(adminPage, 'lower-quota');
    await dialog.getByRole('button', { name: 'Save overrides' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the tenant’s next scale is refused, the limit shown', async () => {
    await ownerPage.reload();
    await ownerPage.getByTestId('replicas-input').fill('2');
    await ownerPage.getByRole('button', { name: 'Scale' }).click();
    const quota = ownerPage.getByTestId('problem-quota');
    await quota.waitFor();
    expect(await quota.textContent()).toMatch(
      /^Quota reached for CPU: ([\d,]+) of \1 millicores in use, [\d,]+ more requested\.$/,
    );
    await screenshot(ownerPage, 'scale-refused', { mobile: true });
    // nothing changed: still one replica
    expect(await ownerPage.getByTestId('app-summary').getByTestId('app-replicas').textContent()).toMatch(/^1\/1/);
  });

  it('suspended, the tenant sees why and can change nothing', async () => {
    await tenantRow().getByRole('button', { name: 'Suspend' }).click();
    const dialog = adminPage.getByTestId('suspend-dialog');
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: 'Suspend tenant' }).click();
    await expect.poll(() => tenantRow().textContent()).toContain('Suspended');

    // a page loaded before the suspension still sends its change: the API refuses it, and the page says why
    await ownerPage.getByTestId('replicas-input').fill('1');
    const [answer] = await Promise.all([
      ownerPage.waitForResponse((r) => r.request().method() === 'POST' && /\/scale$/.test(new URL(r.url()).pathname)),
      ownerPage.getByRole('button', { name: 'Scale' }).click(),
    ]);
    expect(answer.status()).toBe(403);
    expect(((await answer.json()) as { detail: string }).detail).toContain(reason);

    await ownerPage.reload();
    const banner = ownerPage.getByTestId('suspended-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(reason);
    expect(await ownerPage.getByRole('button', { name: 'Scale' }).isDisabled()).toBe(true);
    await screenshot(ownerPage, 'suspended-app', { mobile: true });
    for (const section of ['variables', 'environments']) {
      await ownerPage.goto(`/t/${tenantSlug}/apps/${appName}/${section}`);
      await banner.waitFor();
      const enabled = await ownerPage
        .locator('main button:not([disabled])')
        .evaluateAll((buttons) => buttons.map((b) => b.textContent?.trim() ?? '').filter(Boolean));
      // what is left to press only reads or navigates (reveal, copy, refresh, expanding a row)
      expect(
        enabled.filter((label) => !/^(Reveal|Hide|Copy|Refresh|Show|Close|Download)/.test(label)),
        section,
      ).toEqual([]);
    }
  });
});
