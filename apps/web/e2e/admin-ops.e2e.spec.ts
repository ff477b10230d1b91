import { randomBytes, randomUUID } from 'node:crypto';
import { JobQueues } from '@wharf/queue';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

/*
 * The platform admin's operations pages against the real stack: a job of the admin's tenant on the `host` queue
 * shows up with its tenant (a probe no handler knows: it waits where no host worker runs, and fails at once where one
 * does); the stack's own cluster, whose agent beats every second, shows as healthy.
 */

/** A job name no worker handles (libs/queue JOBS): the worker fails it for good, and nothing else happens. */
const PROBE = 'admin-ops.probe';

const screenshot = screenshots('admin-ops');
const run = randomBytes(3).toString('hex');
const admin = { name: 'Olga Ops', email: `olga-${run}@example.com`, password: 'olga-password-771' };

/** No API makes a platform admin (that is an operator's act): set the flag; answers the admin's tenant id. */
async function makePlatformAdmin(email: string, slug: string): Promise<string> {
  const client = new pg.Client({ connectionString: inject('ownerDatabaseUrl') });
  await client.connect();
  try {
    const result = await client.query('update users set is_platform_admin = true where email = $1', [email]);
    expect(result.rowCount).toBe(1);
    const tenant = await client.query<{ id: string }>('select id from tenants where slug = $1', [slug]);
    const id = tenant.rows[0]?.id;
    if (!id) throw new Error(`no tenant ${slug}`);
    return id;
  } finally {
    await client.end();
  }
}

describe('platform admin: queues and cluster health', () => {
  let browser: Browser;
  let page: Page;
  let redis: Redis;
  let queues: JobQueues;
  let tenantSlug = '';
  let jobId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await newContext(browser, inject('webUrl'))).newPage();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', { maxRetriesPerRequest: null });
    const prefix = inject('queuePrefix');
    if (!prefix) throw new Error('global-setup.ts provides no queuePrefix');
    queues = new JobQueues(redis, prefix);
  });

  afterAll(async () => {
    // the job waits for a host worker this stack does not run: take it away again
    const job = jobId ? await queues?.queue('host').getJob(jobId) : undefined;
    if (job) {
      await job.remove();
      await queues.finished(job);
    }
    await queues?.close();
    redis?.disconnect();
    await browser?.close();
  });

  it('signs the admin in and shows the Queues and Clusters links', async () => {
    tenantSlug = await signUp(page, admin);
    const tenantId = await makePlatformAdmin(admin.email, tenantSlug);
    const probe = await queues.queue('host').add(PROBE, { tenantId, probe: randomUUID() }, { attempts: 1 });
    jobId = probe.id ?? '';
    // The admin claim is in the access token: it takes effect from the next sign-in.
    await page.getByTestId('tenant-details').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Email', { exact: true }).fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/t\/[a-z0-9-]+$/);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL('**/admin/tenants');
    await page.getByRole('link', { name: 'Queues' }).waitFor();
    await page.getByRole('link', { name: 'Clusters' }).waitFor();
  });

  it('shows every queue with its counts, and the tenant of a job on the host queue', async () => {
    await page.getByRole('link', { name: 'Queues' }).click();
    await page.waitForURL('**/admin/queues');
    await page.getByTestId('queues-table').waitFor();
    expect(await page.getByTestId('queue-row').count()).toBe(5);
    const host = page.locator('[data-testid="queue-row"][data-name="host"]');
    const share = page.locator(`[data-testid="queue-tenant-row"][data-queue="host"][data-tenant="${tenantSlug}"]`);
    await share.waitFor();
    expect(await share.textContent()).toContain(admin.name);
    // waiting (no host worker) or failed (a host worker refused it), never both nor lost
    const counted = async (where: typeof host, prefix: string) =>
      Number(await where.getByTestId(`${prefix}-waiting`).textContent()) +
      Number(await where.getByTestId(`${prefix}-failed`).textContent());
    await expect.poll(() => counted(share, 'share')).toBe(1);
    expect(await counted(host, 'queue')).toBeGreaterThanOrEqual(1);
    // the reconcile sweep runs every few seconds: the page's refresh shows it finishing jobs without a reload
    const reconcile = page.locator('[data-testid="queue-row"][data-name="reconcile"]');
    await expect.poll(() => reconcile.getByTestId('queue-completed').textContent(), { timeout: 20_000 }).not.toBe('0');
    await screenshot(page, 'queues', { mobile: true });
  });

  it('shows the stack’s cluster healthy, its agent connected and its node ready', async () => {
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.waitForURL('**/admin/clusters');
    await page.getByTestId('cluster-health-table').waitFor();
    const local = page.locator('[data-testid="cluster-health-row"][data-kind="shared"][data-name^="test-"]');
    await expect.poll(() => local.getByTestId('cluster-health').getAttribute('data-health'), { timeout: 20_000 }).toBe('healthy');
    expect(await local.getByTestId('cluster-health').textContent()).toBe('healthy');
    expect(await local.getByTestId('cluster-agent').first().getAttribute('data-link')).toBe('connected');
    expect(await local.getByTestId('cluster-nodes').textContent()).toMatch(/^(\d+) \/ \1 ready$/);
    expect(await local.getByTestId('cluster-heartbeat').textContent()).toMatch(/^heartbeat \d+s ago$/);
    await screenshot(page, 'cluster-health', { mobile: true });
  });
});
