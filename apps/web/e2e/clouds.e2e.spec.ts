import { randomBytes } from 'node:crypto';
import { type PolicyDocument, PolicyDocument as PolicySchema } from '@wharf/contracts';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRole } from '../../../tests/support/fake-sts.js';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import { callApi } from './builds-support.js';
import './provided.js';

/*
 * Cloud accounts against the real API, whose AWS STS is the local stand-in of tests/support/fake-sts.ts (started by
 * the global setup): it knows every access key but one, and lets a role be assumed as its trust policy says.
 */

const screenshot = screenshots('clouds');
const run = randomBytes(3).toString('hex');
const person = { name: 'Clara Cloud', email: `clara-${run}@example.com`, password: 'clara-password-345' };
const KEY = { id: 'AKIAIOSFODNN7EXAMPLE', secret: `wJalrXUtnFEMI/K7MDENG/${run}EXAMPLEKEY` };
const ROLE_ARN = `arn:aws:iam::123456789012:role/Wharf${run}`;

describe('cloud accounts', () => {
  let browser: Browser;
  let page: Page;
  let tenantSlug = '';

  const form = () => page.getByTestId('connect-cloud-form');
  const row = (name: string) => page.locator(`[data-testid="cloud-account-row"][data-name="${name}"]`);
  /** The `.field` of the input labelled `label`: its error shows there. */
  const fieldOf = (label: string): Locator => form().locator('.field', { has: page.getByLabel(label, { exact: true }) });

  /** Clicks Connect: the status the API answered the create with. */
  async function submit(): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/cloud-accounts$/.test(new URL(r.url()).pathname)),
      form().getByRole('button', { name: 'Connect account' }).click(),
    ]);
    return response.status();
  }

  async function openWizard() {
    await page.getByTestId('connect-cloud').click();
    await form().waitFor();
  }

  async function connectWithKey(name: string, keyId: string, secret: string) {
    await openWizard();
    await form().getByRole('radio', { name: /^AWS/ }).check();
    await form()
      .getByRole('radio', { name: /^Access key/ })
      .check();
    await form().getByLabel('Access key ID', { exact: true }).fill(keyId);
    const secretInput = form().getByLabel('Secret access key', { exact: true });
    expect(await secretInput.getAttribute('type')).toBe('password');
    await secretInput.fill(secret);
    await form().getByLabel('Name', { exact: true }).fill(name);
    return submit();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await newContext(browser, inject('webUrl'))).newPage();
    tenantSlug = await signUp(page, person);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens from the navigation on the empty state', async () => {
    await page.getByRole('link', { name: 'Cloud accounts' }).click();
    await page.getByText('No cloud accounts connected yet.').waitFor();
    await screenshot(page, 'empty', { mobile: true });
  });

  it('connects AWS with an access key: listed with the masked key id and the verified account', async () => {
    expect(await connectWithKey('Sandbox keys', KEY.id, KEY.secret)).toBe(201);
    await page.waitForURL(/\/cloud-accounts$/);
    const listed = row('Sandbox keys');
    await listed.waitFor();
    expect(await listed.getAttribute('data-provider')).toBe('aws');
    expect(await listed.getByTestId('cloud-access').textContent()).toBe('AKIA…MPLE');
    expect(await listed.getByTestId('cloud-identity').textContent()).toBe('210987654321');
    expect(await page.content()).not.toContain(KEY.secret);
    expect(await page.content()).not.toContain(KEY.id);
  });

  it('shows a key STS refuses at the key fields and adds nothing', async () => {
    const refused = inject('refusedAwsKeyId');
    expect(await connectWithKey('Refused keys', refused, `refused-secret-${run}-0123456789`)).toBe(422);
    const alert = form().getByTestId('problem');
    await alert.getByText('AWS did not accept the credentials').waitFor();
    const keyField = fieldOf('Access key ID');
    expect(await keyField.getByTestId('field-error').textContent()).toContain('InvalidClientTokenId');
    expect(await form().getByLabel('Access key ID', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await fieldOf('Secret access key').getByTestId('field-error').textContent()).toContain('InvalidClientTokenId');
    await screenshot(page, 'refused-key', { mobile: true });

    await form().getByRole('link', { name: 'Cancel' }).click();
    await row('Sandbox keys').waitFor();
    expect(await page.getByTestId('cloud-account-row').count()).toBe(1);
  });

  it('shows the ExternalId and the policies for a role, and connects once the role trusts Wharf with it', async () => {
    await openWizard();
    // the role is the recommended way, chosen from the start
    expect(
      await form()
        .getByRole('radio', { name: /^IAM role \(recommended\)/ })
        .isChecked(),
    ).toBe(true);
    const externalId = await form().getByTestId('cloud-external-id').inputValue();
    expect(externalId.length).toBeGreaterThan(8);
    const trustText = (await form().getByTestId('cloud-trust-policy').textContent()) ?? '';
    const trust: PolicyDocument = PolicySchema.parse(JSON.parse(trustText));
    expect(trust.Statement[0]?.Condition?.StringEquals?.['sts:ExternalId']).toBe(externalId);
    expect(await form().getByTestId('cloud-permissions-policy').textContent()).toContain('ec2:RunInstances');
    await form().getByRole('button', { name: 'Copy Trust policy' }).click();
    await form().getByTestId('cloud-trust-policy-status').getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(trustText);
    await screenshot(page, 'role-setup', { mobile: true });

    // a malformed ARN: the API's 400, at the field
    await form().getByLabel('Role ARN', { exact: true }).fill('arn:aws:iam::12345:role/WharfHosts');
    await form().getByLabel('Name', { exact: true }).fill('Production');
    expect(await submit()).toBe(400);
    await fieldOf('Role ARN').getByTestId('field-error').getByText('an IAM role ARN').waitFor();

    // before the role exists (or trusts Wharf), STS refuses AssumeRole: said at the role ARN
    await form().getByLabel('Role ARN', { exact: true }).fill(ROLE_ARN);
    expect(await submit()).toBe(422);
    await fieldOf('Role ARN').getByTestId('field-error').getByText('AccessDenied', { exact: false }).waitFor();
    expect(await form().getByTestId('problem').textContent()).toContain(`Wharf could not assume the role ${ROLE_ARN}`);

    // a role trusting another ExternalId is still refused: the stand-in checks the one Wharf sends
    const otherId = {
      ...trust,
      Statement: trust.Statement.map((s) => ({ ...s, Condition: { StringEquals: { 'sts:ExternalId': 'someone-else' } } })),
    };
    await createRole(inject('stsUrl'), ROLE_ARN, otherId);
    expect(await submit()).toBe(422);
    await fieldOf('Role ARN').getByTestId('field-error').getByText('AccessDenied', { exact: false }).waitFor();

    // the tenant pastes the trust policy the wizard showed: now Wharf assumes the role
    await createRole(inject('stsUrl'), ROLE_ARN, trust);
    expect(await submit()).toBe(201);
    await page.waitForURL(/\/cloud-accounts$/);
    const listed = row('Production');
    await listed.waitFor();
    expect(await listed.getAttribute('data-auth')).toBe('role');
    expect(await listed.getByTestId('cloud-access').textContent()).toBe(ROLE_ARN);
    expect(await listed.getByTestId('cloud-identity').textContent()).toBe('123456789012');
    await row('Sandbox keys').waitFor();
    await screenshot(page, 'listed', { mobile: true });
  });

  it('shows a developer the accounts with connecting and deleting disabled, saying why', async () => {
    const developer = { name: 'Dev Eloper', email: `dev-${run}@example.com`, password: 'dev-password-8080' };
    const owner = await callApi<{ accessToken: string }>('POST', '/auth/login', undefined, {
      email: person.email,
      password: person.password,
    });
    const invited = await callApi<{ token: string }>('POST', `/tenants/${tenantSlug}/invitations`, owner.accessToken, {
      email: developer.email,
      role: 'developer',
    });
    const signedUp = await callApi<{ accessToken: string }>('POST', '/auth/signup', undefined, developer);
    await callApi('POST', '/invitations/accept', signedUp.accessToken, { token: invited.token });

    const context = await newContext(browser, inject('webUrl'));
    const devPage = await context.newPage();
    await devPage.goto('/login');
    await devPage.getByLabel('Email', { exact: true }).fill(developer.email);
    await devPage.getByLabel('Password', { exact: true }).fill(developer.password);
    await devPage.getByRole('button', { name: 'Sign in' }).click();
    await devPage.waitForURL(/\/t\/[a-z0-9-]+$/);
    const denied = /^Requires the .*Admin role\.$/;

    await devPage.goto(`/t/${tenantSlug}/cloud-accounts`);
    const listed = devPage.locator('[data-testid="cloud-account-row"][data-name="Production"]');
    await listed.waitFor();
    const remove = listed.getByRole('button', { name: 'Delete' });
    expect(await remove.isDisabled()).toBe(true);
    expect(await remove.getAttribute('title')).toMatch(denied);
    const connect = devPage.getByRole('button', { name: 'Connect account' });
    expect(await connect.isDisabled()).toBe(true);
    expect(await connect.getAttribute('title')).toMatch(denied);
    await devPage.getByTestId('clouds-blocked').getByText(denied).waitFor();
    await screenshot(devPage, 'as-developer');

    // the wizard, opened by its address, says so too and sends nothing
    await devPage.goto(`/t/${tenantSlug}/cloud-accounts/new`);
    const wizard = devPage.getByTestId('connect-cloud-form');
    await wizard.getByText(denied).waitFor();
    expect(await wizard.getByRole('button', { name: 'Connect account' }).isDisabled()).toBe(true);
    expect(await wizard.getByLabel('Role ARN', { exact: true }).isDisabled()).toBe(true);
    await context.close();
  });

  it('deletes an account after a confirmation naming it', async () => {
    await row('Sandbox keys').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete cloud account Sandbox keys?').waitFor();
    expect(await dialog.textContent()).toContain('210987654321');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await row('Sandbox keys').waitFor({ state: 'detached' });
    await row('Production').waitFor();

    // after a reload the list comes from the API
    await page.reload();
    await row('Production').waitFor();
    expect(await page.getByTestId('cloud-account-row').count()).toBe(1);
  });
});
