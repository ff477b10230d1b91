import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

const screenshot = screenshots('registries');
const run = randomBytes(3).toString('hex');
const person = { name: 'Rita Registry', email: `rita-${run}@example.com`, password: 'rita-password-345' };
const secret = `s3cret-${run}`;

describe('registry logins', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await newContext(browser, inject('webUrl'))).newPage();
    await signUp(page, person);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows a wrong registry host at its field, then adds the login without ever showing the password', async () => {
    await page.getByRole('link', { name: 'Registries' }).click();
    await page.getByText('No registry logins yet').waitFor();
    const form = page.getByTestId('add-registry-form');
    await form.getByLabel('Registry').fill('https://ghcr.io');
    await form.getByLabel('Username').fill('robot');
    await form.getByLabel('Password or token').fill(secret);
    await form.getByRole('button', { name: 'Add login' }).click();
    await form.getByText('a registry host name').waitFor();

    await form.getByLabel('Registry').fill(`ghcr-${run}.example.com:5000`);
    await form.getByRole('button', { name: 'Add login' }).click();
    const row = page.locator(`[data-testid="registry-row"][data-server="ghcr-${run}.example.com:5000"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('robot');
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, 'added', { mobile: true });

    // after a reload the list comes from the API: still no password
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('deletes the login after a confirmation naming the registry', async () => {
    const row = page.locator('[data-testid="registry-row"]');
    await row.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`ghcr-${run}.example.com:5000`).waitFor();
    await dialog.getByRole('button', { name: 'Delete login' }).click();
    await page.getByText('No registry logins yet').waitFor();
  });
});
