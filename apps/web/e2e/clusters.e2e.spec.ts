import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

/*
 * Clusters and hosts against the real API and worker. A `local` host added here is a real machine of the browser
 * stack's worker (global-setup.ts: a network namespace with its own Docker engine and agent, on the run's bridge):
 * the page shows it become ready, its agent's heartbeats, and its removal drain it and end it.
 */

const screenshot = screenshots('clusters');
/** A local machine boots, bootstraps and joins in seconds; a loaded machine takes longer. */
const HOST_MS = 90_000;
const run = randomBytes(3).toString('hex');
const person = { name: 'Cyrus Cluster', email: `cyrus-${run}@example.com`, password: 'cyrus-password-443' };

/** What a broker reports of its engine: none (it drives its hosts' engines over SSH). */
const BROKER_ENGINE = { version: 'broker', apiVersion: 'none', os: 'wharf-broker', swarmNodeId: '' };
const BROKER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBwI9JLXzFCxwVxGtHjhIs6Zz0cWjy/SquQcZQ/8y7z wharf-broker';
const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILB4nOAfnUKIFiqGUtrvGF86bAj7aWyreG1hb0OC+Car';

/** A statement as the database owner, changing one row (what no page offers: an operator's act, an agent's heartbeat). */
async function ownerQuery(text: string, values: unknown[]): Promise<void> {
  const client = new pg.Client({ connectionString: inject('ownerDatabaseUrl') });
  await client.connect();
  try {
    const result = await client.query(text, values);
    expect(result.rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

/** Plans are an operator's act (the admin pages): the team plan, which has room for clusters and hosts. */
function moveToTeamPlan(slug: string): Promise<void> {
  return ownerQuery(`update tenants set plan_id = 'team' where slug = $1`, [slug]);
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

  /** The states a host's row shows until it reaches `last` (the page updates itself; nothing reloads it). */
  async function statesUntil(name: string, last: string, timeout = HOST_MS): Promise<string[]> {
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const state = (await hostRow(name).getAttribute('data-state')) ?? '';
          if (seen.at(-1) !== state) seen.push(state);
          return state;
        },
        { timeout, interval: 100 },
      )
      .toBe(last);
    return seen;
  }

  it('adds a local host, offered the local provider’s region and instance type, and watches it become ready', async () => {
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
    expect(await row.textContent()).toContain('local.small');
    const states = await statesUntil('edge-1', 'ready');
    // it moved through the provisioning states on the page, in order, without failing
    expect(states[0]).not.toBe('ready');
    const order = ['requested', 'creating', 'booting', 'bootstrapping', 'joining', 'ready'];
    expect(states.map((state) => order.indexOf(state))).toEqual([...states.map((state) => order.indexOf(state))].sort());
    expect(await row.getByTestId('host-state').textContent()).toBe('ready');
    await screenshot(page, 'host-ready', { mobile: true });
  });

  it('opens a host from its row: its facts, its history, and its agent’s heartbeat counting on live', async () => {
    await hostRow('edge-1').getByTestId('host-link').click();
    await page.waitForURL(/\/clusters\/[0-9a-f-]{36}\/hosts\/[0-9a-f-]{36}$/);
    const facts = page.getByTestId('host-facts');
    await facts.waitFor();
    expect(await facts.getByTestId('host-provider').textContent()).toBe('This machine');
    expect(await facts.textContent()).toContain('local.small');
    expect(await facts.getByTestId('host-state').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('host-history').textContent()).toContain('Added to the cluster');

    // the machine's agent reports every second (AGENT_HEARTBEAT_MS): the page follows, never more than a few
    // seconds behind
    const seen = facts.getByTestId('host-last-seen');
    await expect.poll(() => seen.textContent(), { timeout: 15_000 }).toMatch(/^Seen \d+s ago$/);
    for (let i = 0; i < 3; i++) {
      expect(Number((await seen.textContent())?.match(/\d+/)?.[0])).toBeLessThan(15);
      await page.waitForTimeout(1_000);
    }
    await screenshot(page, 'host-detail', { mobile: true });
    await page.getByRole('link', { name: '← Back to the cluster' }).click();
    await hostRow('edge-1').waitFor();
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

  it('drains and removes the host after a confirmation naming it', async () => {
    await hostRow('edge-1').getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByTestId('remove-host-dialog');
    await dialog.getByText('Remove host edge-1?').waitFor();
    expect(await dialog.textContent()).toContain('drains edge-1');
    const confirm = () => dialog.getByRole('button', { name: 'Remove host' }).click();
    expect(await answered('DELETE', /\/hosts\/[0-9a-f-]{36}$/, confirm)).toBe(202);
    const states = await statesUntil('edge-1', 'terminated');
    // drained and out of the Swarm before its machine went: the page showed the way down
    expect(
      states.some((state) => ['draining', 'leaving', 'terminating'].includes(state)),
      states.join(' → '),
    ).toBe(true);
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

    // its page offers a fresh command while its agent has not called
    await hostRow('office-1').getByTestId('host-link').click();
    await page.getByTestId('host-facts').waitFor();
    const renew = () => page.getByTestId('host-install-command').click();
    expect(await answered('POST', /\/install-command$/, renew)).toBe(200);
    const again = page.getByTestId('byo-command-dialog');
    expect(await again.getByTestId('byo-command').inputValue()).toMatch(/\/api\/v1\/install\/[A-Za-z0-9_-]+' \| sudo sh$/);
    expect(await again.getByTestId('byo-command').inputValue()).not.toBe(command);
    await again.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: '← Back to the cluster' }).click();
    await hostRow('office-1').getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByTestId('remove-host-dialog');
    expect(
      await answered('DELETE', /\/hosts\/[0-9a-f-]{36}$/, () => confirm.getByRole('button', { name: 'Remove host' }).click()),
    ).toBe(202);
    // its agent never registered: nothing to drain, it ends at once
    await expect.poll(() => hostRow('office-1').getAttribute('data-state')).toBe('terminated');
  });

  it('adds a broker (its start command shown once), a server it drives over SSH, and removes the broker after its server', async () => {
    const section = page.getByTestId('brokers-section');
    await section.getByText('No brokers yet.').waitFor();
    await section.getByTestId('broker-add').click();
    const dialog = page.getByTestId('create-broker-dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('DC 1');
    const submit = () => dialog.getByRole('button', { name: 'Get the start command' }).click();
    expect(await answered('POST', /\/brokers$/, submit)).toBe(400);
    await dialog.getByTestId('field-error').waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill('dc-1');
    expect(await answered('POST', /\/brokers$/, submit)).toBe(201);

    const shown = page.getByTestId('broker-command-dialog');
    const token = await shown.getByTestId('broker-token').inputValue();
    expect(token).toMatch(/^wharfj_/);
    const command = await shown.getByTestId('broker-command').inputValue();
    expect(command).toContain(`WHARF_JOIN_TOKEN='${token}'`);
    expect(command).toContain('WHARF_AGENT_BROKER=1');
    await screenshot(page, 'broker-command');
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    const row = section.locator('[data-testid="broker-row"][data-name="dc-1"]');
    expect(await row.getByTestId('broker-state').getAttribute('data-registered')).toBe('false');
    expect(await section.textContent()).not.toContain(token);

    // the broker starts (as its command would): the list picks up its registration and its key
    const registered = await fetch(`${inject('apiUrl')}/api/agent/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ joinToken: token, name: 'dc-1-box', engine: BROKER_ENGINE, broker: { sshPublicKey: BROKER_KEY } }),
    });
    expect(registered.status).toBe(201);
    await expect.poll(() => row.getByTestId('broker-state').getAttribute('data-registered'), { timeout: 15_000 }).toBe('true');
    expect(await row.getByTestId('broker-key').textContent()).toBe(BROKER_KEY);

    await page.getByTestId('ssh-host-open').click();
    const ssh = page.getByTestId('ssh-host-dialog');
    await expect.poll(() => ssh.getByLabel('Broker', { exact: true }).locator('option').allTextContents()).toEqual(['dc-1']);
    await ssh.getByLabel('Name', { exact: true }).fill('db-1');
    await ssh.getByLabel('Address', { exact: true }).fill('10.0.0.5');
    await ssh.getByLabel('User', { exact: true }).fill('deploy');
    await ssh.getByLabel('Host key', { exact: true }).fill(`${HOST_KEY} root@db-1`);
    await screenshot(page, 'ssh-host');
    expect(await answered('POST', /\/hosts$/, () => ssh.getByRole('button', { name: 'Add host' }).click())).toBe(202);
    await hostRow('db-1').waitFor();
    expect(await hostRow('db-1').getAttribute('data-provider')).toBe('ssh');

    // the broker drives db-1: removing it is refused, and the confirmation says why
    await row.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByTestId('remove-broker-dialog');
    await confirm.getByText('Remove broker dc-1?').waitFor();
    expect(await confirm.textContent()).toContain('revoked');
    const remove = () => confirm.getByRole('button', { name: 'Remove broker' }).click();
    expect(await answered('DELETE', /\/brokers\/[0-9a-f-]{36}$/, remove)).toBe(409);
    await confirm.getByTestId('problem').getByText('db-1', { exact: false }).waitFor();
    // this stack runs no host worker: the server's removal is finished as the worker would
    await ownerQuery(
      `update hosts set state = 'terminated', terminated_at = now() where name = 'db-1'
         and tenant_id = (select id from tenants where slug = $1)`,
      [tenantSlug],
    );
    expect(await answered('DELETE', /\/brokers\/[0-9a-f-]{36}$/, remove)).toBe(204);
    await row.waitFor({ state: 'detached' });
    await section.getByText('No brokers yet.').waitFor();
  });

  it('relaxes compose policy rules on the cluster (the owner’s call), and restores them', async () => {
    const policy = page.getByTestId('cluster-policy');
    const current = policy.getByTestId('cluster-policy-current');
    expect(await current.textContent()).toBe('Every rule is enforced.');
    const save = policy.getByRole('button', { name: 'Save policy' });
    expect(await save.isDisabled()).toBe(true);
    await policy.locator('[data-rule="bind-mounts"] input').check();
    await policy.locator('[data-rule="sysctls"] input').check();
    expect(await answered('PUT', /\/policy$/, () => save.click())).toBe(200);
    await expect.poll(() => current.textContent()).toBe('Relaxed now: bind-mounts and sysctls.');
    await screenshot(page, 'cluster-policy', { mobile: true });
    await page.reload();
    expect(await policy.locator('[data-rule="bind-mounts"] input').isChecked()).toBe(true);

    await policy.locator('[data-rule="bind-mounts"] input').uncheck();
    await policy.locator('[data-rule="sysctls"] input').uncheck();
    expect(await answered('PUT', /\/policy$/, () => save.click())).toBe(200);
    await expect.poll(() => current.textContent()).toBe('Every rule is enforced.');
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
