import { randomBytes } from 'node:crypto';
import { AGENT_PATHS } from '@wharf/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, makePlatformAdmin, newContext, screenshots, signUp } from './browser.js';
import './provided.js';

/*
 * The platform admin's clusters actions against the real stack: registering a shared cluster (a bad name refused at
 * its field), its one-time join token and the command that starts an agent with it; another token; the agents of the
 * stack's own cluster; an agent joined with the dialog's token, revoked from the page and refused afterwards; and
 * the leak sweep's runs.
 */

const screenshot = screenshots('admin-clusters');
const run = randomBytes(3).toString('hex');
const admin = { name: 'Cleo Clusters', email: `cleo-${run}@example.com`, password: 'cleo-password-517' };
const clusterName = `pc-${run}`;
const ENGINE = { version: '27.5.1', apiVersion: '1.41', os: 'Debian GNU/Linux 13', swarmNodeId: `node-${run}` };

/** What an agent does with a join token (apps/agent): trades it for its credential at the agent API. */
async function joinAgent(joinToken: string, name: string): Promise<{ agentId: string; credential: string }> {
  const response = await fetch(new URL(AGENT_PATHS.register, inject('apiUrl')), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ joinToken, name, engine: ENGINE }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { agentId: string; credential: string };
}

/** An agent's heartbeat: 200 while its credential holds, 401 once revoked. */
async function heartbeatStatus(credential: string): Promise<number> {
  const response = await fetch(new URL(AGENT_PATHS.heartbeat, inject('apiUrl')), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ engine: ENGINE, nodes: [], services: [], running: [], version: '0.1.0-test' }),
  });
  return response.status;
}

describe('platform admin: registering clusters, join tokens, agents and host sweeps', () => {
  let browser: Browser;
  let page: Page;
  let firstToken = '';
  let joined = { agentId: '', credential: '' };

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await newContext(browser, inject('webUrl'))).newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const row = (name: string) => page.locator(`[data-testid="cluster-health-row"][data-name="${name}"]`);

  it('signs the admin in and opens Clusters', async () => {
    await signUp(page, admin);
    await makePlatformAdmin(admin.email);
    // The admin claim is in the access token: it takes effect from the next sign-in.
    await page.getByTestId('tenant-details').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await logIn(page, admin);
    await page.goto('/admin/clusters');
    await page.getByTestId('cluster-health-table').waitFor();
  });

  it('refuses a bad name at its field, then registers the cluster and shows its join token once', async () => {
    await page.getByRole('button', { name: 'Register a cluster' }).click();
    const dialog = page.getByTestId('register-cluster-dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Not A Slug');
    await dialog.getByLabel('Apps domain', { exact: true }).fill(`${clusterName}.example.test`);
    await dialog.getByLabel('Proxy port', { exact: true }).fill('8443');
    await dialog.getByRole('button', { name: 'Register' }).click();
    const nameError = dialog.getByTestId('field-error');
    await nameError.waitFor();
    expect(await nameError.count()).toBe(1);
    expect(await dialog.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'register-bad-name');

    await dialog.getByLabel('Name', { exact: true }).fill(clusterName);
    await dialog.getByRole('button', { name: 'Register' }).click();
    const tokenDialog = page.getByTestId('join-token-dialog');
    await tokenDialog.getByTestId('join-token').waitFor();
    firstToken = await tokenDialog.getByTestId('join-token').inputValue();
    expect(firstToken.length).toBeGreaterThan(10);
    const command = await tokenDialog.getByTestId('agent-command').inputValue();
    expect(command).toContain(`WHARF_JOIN_TOKEN=${firstToken}`);
    expect(command).toContain(`WHARF_API_URL=${new URL(inject('webUrl')).origin}`);
    expect(command).toContain('WHARF_PROXY_LISTEN=:8443');
    expect(command).toContain('node apps/agent/dist/main.js');
    await screenshot(page, 'join-token');
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await tokenDialog.waitFor({ state: 'hidden' });
    // shown once: nothing on the page holds it any more
    expect(await page.getByText(firstToken).count()).toBe(0);
    await row(clusterName).waitFor();
  });

  it('issues another join token for the cluster', async () => {
    await row(clusterName)
      .getByRole('button', { name: `Issue join token for ${clusterName}` })
      .click();
    const tokenDialog = page.getByTestId('join-token-dialog');
    await tokenDialog.getByTestId('join-token').waitFor();
    const second = await tokenDialog.getByTestId('join-token').inputValue();
    expect(second).not.toBe(firstToken);
    expect(await tokenDialog.getByTestId('agent-command').inputValue()).toContain(`WHARF_JOIN_TOKEN=${second}`);
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await tokenDialog.waitFor({ state: 'hidden' });
  });

  it('lists the agent of the stack’s own cluster', async () => {
    const local = page.locator('[data-testid="cluster-health-row"][data-kind="shared"][data-name^="test-"]');
    await local.getByRole('button', { name: /^Agents of / }).click();
    const dialog = page.getByTestId('cluster-agents-dialog');
    await dialog.getByTestId('agents-table').waitFor();
    const agents = dialog.locator('[data-testid="agent-row"][data-revoked="false"]');
    expect(await agents.count()).toBeGreaterThanOrEqual(1);
    expect(await agents.first().getByRole('button', { name: 'Revoke' }).count()).toBe(1);
    await screenshot(page, 'agents');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('revokes an agent joined with the dialog’s token after a confirmation naming it; it is refused afterwards', async () => {
    const agentName = `pc-agent-${run}`;
    joined = await joinAgent(firstToken, agentName);
    expect(await heartbeatStatus(joined.credential)).toBe(200);
    await row(clusterName)
      .getByRole('button', { name: `Agents of ${clusterName}` })
      .click();
    const dialog = page.getByTestId('cluster-agents-dialog');
    const agent = dialog.locator(`[data-testid="agent-row"][data-name="${agentName}"]`);
    await agent.waitFor();
    await agent.getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByTestId('revoke-agent-dialog');
    expect(await confirm.textContent()).toContain(agentName);
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => agent.getAttribute('data-revoked')).toBe('true');
    expect(await agent.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    expect(await heartbeatStatus(joined.credential)).toBe(401);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('shows the host sweeps from the admin navigation, as a list or its empty state', async () => {
    await page.getByRole('link', { name: 'Host sweeps' }).click();
    await page.waitForURL('**/admin/host-sweeps');
    const view = page.getByTestId('admin-host-sweeps');
    await view.locator('[data-testid="host-sweeps-table"], [data-testid="empty-state"]').first().waitFor();
    if ((await view.getByTestId('empty-state').count()) > 0) {
      expect(await view.getByTestId('empty-state').textContent()).toBe('No sweep has run yet.');
    } else {
      expect(await view.getByTestId('host-sweep-row').count()).toBeGreaterThan(0);
      expect(await view.getByTestId('sweep-terminated').first().textContent()).toMatch(/^\d+ terminated of \d+ seen$/);
    }
    await screenshot(page, 'host-sweeps', { mobile: true });
  });
});
