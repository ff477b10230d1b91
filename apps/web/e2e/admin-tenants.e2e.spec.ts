import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, makePlatformAdmin, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

const screenshot = screenshots('admin');

const webUrl = inject('webUrl');
const run = randomBytes(3).toString('hex');
const admin = { name: 'Carol Admin', email: `carol-${run}@example.com`, password: 'carol-password-89' };
const owner = { name: 'Dave Owner', email: `dave-${run}@example.com`, password: 'dave-password-012' };
const team = { name: `Globex ${run}`, slug: `globex-${run}` };
const reason = 'Unpaid invoice #42';

type Person = typeof admin;

async function signUpAndWait(page: Page, person: Person): Promise<void> {
  await signUp(page, person);
  // the page has loaded its tenant (and the shell its session): a dialog opened now is not torn down under it
  await page.getByTestId('tenant-details').waitFor();
}

describe('platform admin', () => {
  let browser: Browser;
  let adminContext: BrowserContext;
  let ownerContext: BrowserContext;
  let adminPage: Page;
  let ownerPage: Page;

  function row() {
    return adminPage.locator(`[data-testid="admin-tenant-row"][data-slug="${team.slug}"]`);
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    adminContext = await newContext(browser, webUrl);
    ownerContext = await newContext(browser, webUrl);
    adminPage = await adminContext.newPage();
    ownerPage = await ownerContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('refuses the admin pages to a user who is not a platform admin', async () => {
    await signUpAndWait(ownerPage, owner);
    await ownerPage.getByRole('button', { name: 'Create team' }).click();
    const dialog = ownerPage.getByTestId('create-team-dialog');
    await dialog.getByLabel('Team name').fill(team.name);
    await dialog.getByLabel('URL name (optional)').fill(team.slug);
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await ownerPage.waitForURL(`**/t/${team.slug}`);

    expect(await ownerPage.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await ownerPage.goto('/admin/tenants');
    await ownerPage.getByText('Platform administrators only').waitFor();
  });

  it('finds the tenant by search and shows its plan, members and usage', async () => {
    await signUpAndWait(adminPage, admin);
    await makePlatformAdmin(admin.email);
    // The admin claim is in the access token: it takes effect from the next sign-in.
    await adminPage.getByRole('button', { name: 'Log out' }).click();
    await adminPage.waitForURL('**/login');
    await logIn(adminPage, admin);

    await adminPage.getByRole('link', { name: 'Admin' }).click();
    await adminPage.waitForURL('**/admin/tenants');
    await adminPage.getByTestId('admin-tenants-table').waitFor();
    await adminPage.getByLabel('Search', { exact: true }).fill(team.slug);
    await adminPage.getByRole('button', { name: 'Search' }).click();
    await adminPage.waitForURL(`**/admin/tenants?q=${team.slug}`);
    await expect.poll(() => adminPage.getByTestId('admin-tenant-row').count()).toBe(1);
    expect(await row().textContent()).toContain(team.name);
    expect(await row().getByLabel(`Plan of ${team.name}`).inputValue()).toBe('free');
    expect(await row().getByTestId('usage-members').textContent()).toContain('1 / 3 seats');
    await screenshot(adminPage, 'admin-tenants', { mobile: true });
  });

  it('changes the plan and overrides a quota', async () => {
    await row().getByLabel(`Plan of ${team.name}`).selectOption('team');
    const confirm = adminPage.getByTestId('plan-dialog');
    expect(await confirm.textContent()).toContain(`Move ${team.name} from the Free plan to the Team plan?`);
    await confirm.getByRole('button', { name: 'Change plan' }).click();
    await expect.poll(() => row().getByLabel(`Plan of ${team.name}`).inputValue()).toBe('team');
    await expect.poll(() => row().getByTestId('usage-members').textContent()).toContain('1 / 25 seats');

    await row().getByRole('button', { name: 'Quotas' }).click();
    const quotas = adminPage.getByTestId('quota-dialog');
    await quotas.getByLabel('Members (seats)', { exact: true }).fill('7');
    await screenshot(adminPage, 'admin-quota-overrides');
    await quotas.getByRole('button', { name: 'Save overrides' }).click();
    await expect.poll(() => row().getByTestId('usage-members').textContent()).toContain('1 / 7 seats');
    expect(await row().getByTestId('usage-members').textContent()).toContain('custom limit');
  });

  it('suspends the tenant with a reason its members see, and resumes it', async () => {
    const dialog = adminPage.getByTestId('suspend-dialog');
    // Cancel closes the form without suspending; opening it again starts empty.
    await row().getByRole('button', { name: 'Suspend' }).click();
    await dialog.getByLabel('Reason').fill('never sent');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByLabel('Reason').waitFor({ state: 'detached' });
    expect(await row().textContent()).toContain('Active');
    await row().getByRole('button', { name: 'Suspend' }).click();
    expect(await dialog.getByLabel('Reason').inputValue()).toBe('');
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: 'Suspend tenant' }).click();
    await expect.poll(() => row().textContent()).toContain(reason);
    expect(await row().textContent()).toContain('Suspended');

    await ownerPage.goto(`/t/${team.slug}/tokens`);
    const banner = ownerPage.getByTestId('suspended-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(reason);
    expect(await ownerPage.getByTestId('create-token-form').getByRole('button', { name: 'Create token' }).isDisabled()).toBe(
      true,
    );
    await screenshot(ownerPage, 'tenant-suspended', { mobile: true });

    await row().getByRole('button', { name: 'Resume' }).click();
    await adminPage.getByTestId('resume-dialog').getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => row().textContent()).toContain('Active');

    await ownerPage.reload();
    await ownerPage.getByTestId('create-token-form').waitFor();
    expect(await ownerPage.getByTestId('suspended-banner').count()).toBe(0);
    expect(await ownerPage.getByTestId('create-token-form').getByRole('button', { name: 'Create token' }).isDisabled()).toBe(
      false,
    );
  });
});
