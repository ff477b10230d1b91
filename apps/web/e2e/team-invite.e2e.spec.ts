import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext, screenshots } from './browser.js';
import './provided.js';

const screenshot = screenshots('team-invite');

const webUrl = inject('webUrl');
const run = randomBytes(3).toString('hex');
const alice = { name: 'Alice Owner', email: `alice-${run}@example.com`, password: 'alice-password-123' };
const bob = { name: 'Bob Builder', email: `bob-${run}@example.com`, password: 'bob-password-4567' };
const team = { name: `Acme ${run}`, slug: `acme-${run}` };

async function signUp(page: Page, person: { name: string; email: string; password: string }): Promise<void> {
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

function heading(page: Page) {
  return page.getByRole('heading', { level: 1 });
}

describe('team invitation journey', () => {
  let browser: Browser;
  let ownerContext: BrowserContext;
  let inviteeContext: BrowserContext;
  let owner: Page;
  let invitee: Page;
  let inviteLink = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    ownerContext = await newContext(browser, webUrl);
    inviteeContext = await newContext(browser, webUrl);
    owner = await ownerContext.newPage();
    invitee = await inviteeContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs the owner up into a personal workspace', async () => {
    await owner.goto('/signup');
    await heading(owner).filter({ hasText: 'Create your Wharf account' }).waitFor();
    await screenshot(owner, 'signup', { mobile: true });
    await signUp(owner, alice);

    await owner.waitForURL(/\/t\/[a-z0-9-]+$/);
    await owner.getByTestId('tenant-details').waitFor();
    expect(await owner.getByTestId('current-user').textContent()).toBe(alice.name);
    expect(await owner.getByTestId('tenant-plan').textContent()).toBe('Free');
    await screenshot(owner, 'owner-personal-overview');
  });

  it('creates a team and shows its plan and usage', async () => {
    await owner.getByRole('button', { name: 'Create team' }).click();
    const dialog = owner.getByTestId('create-team-dialog');
    await dialog.getByLabel('Team name').fill(team.name);
    await dialog.getByLabel('URL name (optional)').fill(team.slug);
    await screenshot(owner, 'create-team-dialog');
    await dialog.getByRole('button', { name: 'Create team' }).click();

    await owner.waitForURL(`**/t/${team.slug}`);
    await heading(owner).filter({ hasText: team.name }).waitFor();
    expect(await owner.getByTestId('tenant-plan').textContent()).toBe('Free');
    const seats = owner.getByTestId('usage-members');
    await seats.waitFor();
    expect(await seats.textContent()).toContain('Members (seats)');
    expect(await seats.textContent()).toContain('1 / 3 seats');
    expect(await owner.getByTestId('tenant-switcher').inputValue()).toBe(team.slug);
    await screenshot(owner, 'team-overview', { mobile: true });
  });

  it('invites the teammate by email and copies the link', async () => {
    await owner.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Members' }).click();
    await owner.waitForURL(`**/t/${team.slug}/members`);
    const ownerRow = owner.locator(`[data-testid="member-row"][data-email="${alice.email}"]`);
    await ownerRow.waitFor();
    expect(await ownerRow.getByTestId('member-role').inputValue()).toBe('owner');

    const form = owner.getByTestId('invite-form');
    // The browser accepts this address; the API does not, and says so next to the field.
    await form.getByLabel('Email address').fill('bob@localhost');
    await form.getByRole('button', { name: 'Invite' }).click();
    const emailError = form.getByTestId('field-error');
    await emailError.waitFor();
    expect(await form.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Email address').getAttribute('aria-describedby')).toBe(await emailError.getAttribute('id'));

    await form.getByLabel('Email address').fill(bob.email);
    await form.getByLabel('Role', { exact: true }).selectOption('developer');
    await form.getByRole('button', { name: 'Invite' }).click();

    const created = owner.getByTestId('invite-created');
    await created.waitFor();
    expect(await created.textContent()).toContain(bob.email);
    inviteLink = await owner.getByTestId('invite-link').inputValue();
    expect(inviteLink).toMatch(new RegExp(`^${webUrl}/invite/[A-Za-z0-9_-]{20,}$`));

    await created.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => owner.getByTestId('invite-link-status').textContent()).toBe('Copied to the clipboard.');
    expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(inviteLink);

    const invitation = owner.locator(`[data-testid="invitation-row"][data-email="${bob.email}"]`);
    await invitation.waitFor();
    expect(await invitation.textContent()).toContain('Developer');
    expect(await invitation.textContent()).toContain('Pending');
    await screenshot(owner, 'members-invited', { mobile: true });
  });

  it('lets the invitee sign up from the link and accept', async () => {
    await invitee.goto(inviteLink);
    await invitee.getByTestId('invitation-anonymous').waitFor();
    await screenshot(invitee, 'invite-anonymous', { mobile: true });
    await invitee.getByRole('link', { name: 'Create an account' }).click();
    await invitee.waitForURL(/\/signup\?next=/);
    await signUp(invitee, bob);

    await invitee.waitForURL(`**/invite/**`);
    const card = invitee.getByTestId('invitation');
    await card.waitFor();
    expect(await invitee.getByTestId('invitation-team').textContent()).toBe(team.name);
    expect(await invitee.getByTestId('invitation-role').textContent()).toBe('Developer');
    await screenshot(invitee, 'invite-preview', { mobile: true });

    await invitee.getByRole('button', { name: `Accept and join ${team.name}` }).click();
    await invitee.waitForURL(`**/t/${team.slug}`);
    await heading(invitee).filter({ hasText: team.name }).waitFor();
    expect(await invitee.getByTestId('tenant-details').textContent()).toContain('Developer');
    await screenshot(invitee, 'invitee-team-overview');
  });

  it("shows the new member with the invited role on the owner's members page", async () => {
    await owner.reload();
    const row = owner.locator(`[data-testid="member-row"][data-email="${bob.email}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(bob.name);
    expect(await row.getByTestId('member-role').inputValue()).toBe('developer');
    const invitation = owner.locator(`[data-testid="invitation-row"][data-email="${bob.email}"]`);
    expect(await invitation.textContent()).toContain('Accepted');
    expect(await owner.getByTestId('usage-members').count()).toBe(0); // members page has no usage panel
    await screenshot(owner, 'members-after-accept', { mobile: true });
  });

  it('gives the developer a read-only members page without the audit log', async () => {
    await invitee.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Members' }).click();
    await invitee.waitForURL(`**/t/${team.slug}/members`);
    const ownerRow = invitee.locator(`[data-testid="member-row"][data-email="${alice.email}"]`);
    await ownerRow.waitFor();
    expect(await ownerRow.getByTestId('member-role').isDisabled()).toBe(true);
    expect(await ownerRow.getByRole('button', { name: 'Remove' }).isDisabled()).toBe(true);
    expect(await invitee.getByTestId('invite-denied').textContent()).toContain('Requires the Owner or Admin role.');
    expect(await invitee.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await screenshot(invitee, 'members-as-developer', { mobile: true });
  });

  it('creates an API token shown once, and records everything in the audit log', async () => {
    await owner.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'API tokens' }).click();
    await owner.waitForURL(`**/t/${team.slug}/tokens`);
    const form = owner.getByTestId('create-token-form');
    await form.getByLabel('Token name').fill('CI deploys');
    await form.getByRole('button', { name: 'Create token' }).click();
    await owner.getByTestId('token-created').waitFor();
    expect(await owner.getByTestId('token-secret').inputValue()).toMatch(/^wharf_/);
    const tokenRow = owner.locator('[data-testid="token-row"][data-name="CI deploys"]');
    await tokenRow.waitFor();
    expect(await tokenRow.textContent()).toContain('Active');
    await screenshot(owner, 'tokens', { mobile: true });

    // Revoking asks first: Cancel leaves the token alone, confirming revokes it in place.
    const confirm = owner.getByTestId('confirm-dialog');
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.getByRole('heading').waitFor({ state: 'detached' });
    expect(await tokenRow.textContent()).toContain('Active');
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => tokenRow.textContent()).toContain('Revoked');
    expect(await tokenRow.getByRole('button', { name: 'Revoke' }).count()).toBe(0);

    await owner.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).click();
    await owner.waitForURL(`**/t/${team.slug}/audit`);
    await owner.getByTestId('audit-table').waitFor();
    const actions = await owner.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions).toEqual(
      expect.arrayContaining(['invitations.create', 'invitations.accept', 'api-tokens.create', 'api-tokens.revoke']),
    );
    await screenshot(owner, 'audit', { mobile: true });
  });

  it('opens a second tab signed in through the refresh cookie', async () => {
    // A new tab has no access token in its sessionStorage: the dashboard refreshes through the httpOnly cookie.
    const tab = await ownerContext.newPage();
    await tab.goto(`/t/${team.slug}/members`);
    await tab.locator(`[data-testid="member-row"][data-email="${bob.email}"]`).waitFor();
    expect(await tab.getByTestId('current-user').textContent()).toBe(alice.name);
    await tab.close();

    // The first tab keeps working after the second one rotated the refresh token.
    await owner.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' }).click();
    await owner.getByTestId('usage-members').waitFor();
    expect(await owner.getByTestId('usage-members').textContent()).toContain('2 / 3 seats');
  });

  it('logs out and back in', async () => {
    await owner.getByRole('button', { name: 'Log out' }).click();
    await owner.waitForURL('**/login');
    await owner.goto(`/t/${team.slug}`);
    await owner.waitForURL(/\/login\?next=/);
    await owner.getByLabel('Email', { exact: true }).fill(alice.email);
    await owner.getByLabel('Password', { exact: true }).fill('not-the-password');
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await owner.getByTestId('problem').waitFor();
    await screenshot(owner, 'login-failed', { mobile: true });
    await owner.getByLabel('Password', { exact: true }).fill(alice.password);
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await owner.waitForURL(`**/t/${team.slug}`);
    await heading(owner).filter({ hasText: team.name }).waitFor();
  });
});
