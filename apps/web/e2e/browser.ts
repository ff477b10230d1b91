import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import './provided.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));
export const DESKTOP = { width: 1280, height: 860 };
export const MOBILE = { width: 375, height: 780 };

/** Debian's Chromium, headless, with nothing phoning home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  return context;
}

export type Screenshot = (page: Page, name: string, options?: { mobile?: boolean }) => Promise<void>;

/**
 * A screenshot taker for one spec: `<spec>-NN-<name>-desktop.png`, plus `-375.png` with `mobile`,
 * which also fails when the page scrolls sideways at 375 px.
 */
export function screenshots(spec: string): Screenshot {
  let counter = 0;
  return (page, name, options = {}) => {
    counter += 1;
    return screenshot(page, `${spec}-${String(counter).padStart(2, '0')}-${name}`, options.mobile ?? false);
  };
}

async function screenshot(page: Page, base: string, mobile: boolean): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${base}-desktop.png`), fullPage: true });
  if (!mobile) return;
  const viewport = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(MOBILE);
  await page.screenshot({ path: join(SCREENSHOTS, `${base}-375.png`), fullPage: true });
  const overflowing = await widerThanViewport(page);
  await page.setViewportSize(viewport);
  if (overflowing.length > 0) throw new Error(`${base} is wider than ${MOBILE.width} px: ${overflowing.join(', ')}`);
}

/** Elements sticking out of the viewport (horizontal scrolling of the page), as short selectors. */
function widerThanViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const out: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      const scroller = element.closest('.table-wrap, .sidebar');
      if (box.right > width + 1 && !scroller) out.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
    }
    return out.slice(0, 10);
  });
}

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** Signs `person` up through the pages; answers the slug of the tenant they land in. */
export async function signUp(page: Page, person: Person): Promise<string> {
  await page.goto('/signup');
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/t\/[a-z0-9-]+$/);
  return new URL(page.url()).pathname.split('/')[2] ?? '';
}

/** Signs `person` in through the sign-in page; waits for the tenant they land in. */
export async function logIn(page: Page, person: Pick<Person, 'email' | 'password'>): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/t\/[a-z0-9-]+$/);
  await page.getByTestId('tenant-details').waitFor();
}

/** No API makes a platform admin (that is an operator's act): the flag set in the database. */
export async function makePlatformAdmin(email: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('ownerDatabaseUrl') });
  await client.connect();
  try {
    const result = await client.query('update users set is_platform_admin = true where email = $1', [email]);
    if (result.rowCount !== 1) throw new Error(`no user ${email} to make a platform admin`);
  } finally {
    await client.end();
  }
}
