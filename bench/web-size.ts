import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject, it } from 'vitest';
import { FIRST_LOAD_BUDGET_KB, type FirstLoad, firstLoadJs } from '../apps/web/e2e/first-load-js.js';
import { ensureHttpImage } from '../tests/support/engine.js';
import { type GitServer, startGitServer } from '../tests/support/git-server.js';
import '../apps/web/e2e/provided.js';

/*
 * First-load JavaScript of the dashboard's main routes: the stack of the browser tests (apps/web/e2e/global-setup.ts:
 * the production build under `next start`, the real API), a tenant with an app from an image and one from a git
 * repository, signed in as in apps/web/e2e/console-tour.e2e.spec.ts. Each route opens in a fresh page with the cache
 * disabled; every script it loads until no new one comes for 1.5 s after `load` is gzipped and summed
 * (apps/web/e2e/first-load-js.ts). Prints route → KB against the 250 KB budget; sizes are deterministic for a build.
 *
 *   npm run bench:web-size          (BENCH_DETAIL=1 to list each route's five largest scripts)
 */
const run = randomBytes(3).toString('hex');
const person = { name: 'Sam Size', email: `sam-${run}@example.com`, password: 'sam-password-5050' };
const imageApp = `size-${run}`;
const sourceApp = `size-src-${run}`;

const ADMIN_PAGES = fileURLToPath(new URL('../apps/web/src/app/admin/', import.meta.url));

/**
 * Chromium and sign-up as apps/web/e2e/browser.ts has them; not imported from there, whose page scripts need the DOM
 * library this project (tsconfig.tests.json) does not type-check with.
 */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
}

function newContext(): Promise<BrowserContext> {
  return browser.newContext({ baseURL: inject('webUrl'), viewport: { width: 1280, height: 860 }, locale: 'en-US' });
}

async function signUp(page: Page): Promise<string> {
  await page.goto('/signup');
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/t\/[a-z0-9-]+$/);
  return new URL(page.url()).pathname;
}

let browser: Browser;
let git: GitServer;
let image = '';

beforeAll(async () => {
  [browser, git, image] = await Promise.all([launchBrowser(), startGitServer(), ensureHttpImage(`size-${run}`, run)]);
  await git.createRepo(sourceApp);
  await git.push(sourceApp, { Dockerfile: `FROM ${image}\n` });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await git?.close();
});

async function makePlatformAdmin(email: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('ownerDatabaseUrl') });
  await client.connect();
  try {
    await client.query('update users set is_platform_admin = true where email = $1', [email]);
  } finally {
    await client.end();
  }
}

/** A tenant with an app from an image and one from a repository; answers their pages' paths. */
async function arrange(page: Page): Promise<Record<string, string>> {
  const tenant = await signUp(page);
  await page.goto(`${tenant}/apps/new`);
  let form = page.getByTestId('create-app-form');
  await form.getByLabel('Name', { exact: true }).fill(imageApp);
  await form.getByLabel('Image', { exact: true }).fill(image);
  await form.getByRole('button', { name: 'Create app' }).click();
  await page.waitForURL(`**${tenant}/apps/${imageApp}`);
  const deployment = await page.getByTestId('deployment-link').first().getAttribute('href');

  await page.goto(`${tenant}/apps/new`);
  form = page.getByTestId('create-app-form');
  await form.getByLabel('A Git repository').check();
  await form.getByRole('button', { name: 'Repository URL' }).click();
  await form.getByLabel('Name', { exact: true }).fill(sourceApp);
  await form.getByLabel('Repository URL').fill(git.repoUrl(sourceApp));
  await form.getByRole('button', { name: 'Create app' }).click();
  await page.waitForURL(/\/builds\/[0-9a-f-]{36}$/);
  const build = new URL(page.url()).pathname;

  await page.goto(`${tenant}/clusters`);
  await page.getByTestId('cluster-row').first().getByRole('link').click();
  await page.waitForURL(/\/clusters\/[0-9a-f-]{36}$/);
  const cluster = new URL(page.url()).pathname;

  const app = `${tenant}/apps/${imageApp}`;
  const built = `${tenant}/apps/${sourceApp}`;
  return {
    '/t/[tenant]': tenant,
    '/t/[tenant]/apps': `${tenant}/apps`,
    '/t/[tenant]/apps/new': `${tenant}/apps/new`,
    '/t/[tenant]/apps/[app]': app,
    '/t/[tenant]/apps/[app]/deployments/[id]': deployment ?? '',
    '/t/[tenant]/apps/[app]/logs': `${app}/logs`,
    '/t/[tenant]/apps/[app]/variables': `${app}/variables`,
    '/t/[tenant]/apps/[app]/environments': `${app}/environments`,
    '/t/[tenant]/apps/[app]/environments/[env]': `${app}/environments/production`,
    '/t/[tenant]/apps/[app]/builds': `${built}/builds`,
    '/t/[tenant]/apps/[app]/builds/[build]': build,
    '/t/[tenant]/apps/[app]/source': `${built}/source`,
    '/t/[tenant]/clusters': `${tenant}/clusters`,
    '/t/[tenant]/clusters/[id]': cluster,
    '/t/[tenant]/cloud-accounts': `${tenant}/cloud-accounts`,
    '/t/[tenant]/cloud-accounts/new': `${tenant}/cloud-accounts/new`,
    '/t/[tenant]/git-connections': `${tenant}/git-connections`,
    '/t/[tenant]/registries': `${tenant}/registries`,
    '/t/[tenant]/members': `${tenant}/members`,
    '/t/[tenant]/tokens': `${tenant}/tokens`,
    '/t/[tenant]/audit': `${tenant}/audit`,
  };
}

async function signedInAsAdmin(): Promise<BrowserContext> {
  await makePlatformAdmin(person.email);
  const context = await newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/t\/[a-z0-9-]+$/);
  await page.close();
  return context;
}

function row(route: string, load: FirstLoad): string {
  const verdict = load.kb <= FIRST_LOAD_BUDGET_KB ? 'PASS' : 'MISS';
  return `| \`${route}\` | ${load.kb.toFixed(1)} | ${load.scripts.length} | ${verdict} |`;
}

it('weighs the first-load JavaScript of every main route', async () => {
  const signedOut = await newContext();
  const tenant = await newContext();
  const routes = await arrange(await tenant.newPage());
  const admin = await signedInAsAdmin();
  const plan: [route: string, context: BrowserContext, path: string][] = [
    ['/login', signedOut, '/login'],
    ['/signup', signedOut, '/signup'],
    ...Object.entries(routes).map(([route, path]): [string, BrowserContext, string] => [route, tenant, path]),
    ...['tenants', 'queues', 'clusters']
      .filter((name) => existsSync(`${ADMIN_PAGES}${name}/page.tsx`))
      .map((name): [string, BrowserContext, string] => [`/admin/${name}`, admin, `/admin/${name}`]),
  ];
  const lines = [`| Route | KB (gzip) | Scripts | ≤ ${FIRST_LOAD_BUDGET_KB} KB |`, '| --- | ---: | ---: | --- |'];
  const details: string[] = [];
  for (const [route, context, path] of plan) {
    const load = await firstLoadJs(context, path);
    lines.push(row(route, load));
    if (load.status !== 200 || load.failedScripts.length > 0) {
      console.warn(`${route}: page answered ${load.status}, scripts failed: ${load.failedScripts.join(', ') || 'none'}`);
    }
    const largest = load.scripts.slice(0, 5).map((script) => `    ${(script.bytes / 1024).toFixed(1)} KB ${script.path}`);
    details.push(`${route} (${load.scripts.map((script) => script.path.split('/').pop()).join(' ')})\n${largest.join('\n')}`);
  }
  console.log(`\nFirst-load JavaScript per route (gzip, cache disabled)\n\n${lines.join('\n')}\n`);
  if (process.env.BENCH_DETAIL) console.log(details.join('\n'));
}, 900_000);
