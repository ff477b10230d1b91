import type { Locator, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { packSource } from '../../../apps/cli/src/pack.js';
import { viaProxy } from '../../../tests/support/apps.js';
import './provided.js';

/** Helpers of the builds browser tests (from a git repository, from archives uploaded by `wharf deploy`). */

/** Clone or unpack, build, push: give it time on a loaded machine. */
export const BUILD_MS = 180_000;
/** A rollout: pull, start, route. */
export const SETTLE_MS = 120_000;

/** The build view's status and log lines, read in one go (so a line is known to have come while it ran). */
export function sample(view: Locator): Promise<{ status: string | null; lines: number; stream: string | null }> {
  return view.evaluate((element) => ({
    status: element.querySelector('[data-testid="build-status"]')?.getAttribute('data-status') ?? null,
    lines: element.querySelectorAll('[data-testid="build-log-line"]').length,
    stream: element.querySelector('[data-testid="stream-state"]')?.getAttribute('data-status') ?? null,
  }));
}

/** GET / of the app through the cluster's edge proxy: its body, or '' while it does not answer yet. */
export async function served(appUrl: string): Promise<string> {
  const result = await viaProxy(inject('proxyPort'), new URL(appUrl).hostname).catch(() => ({ status: 0, body: '' }));
  return result.status === 200 ? result.body.trim() : '';
}

/** A call to the API as `token` (arranging what the test does not drive through the pages); fails unless 2xx. */
export function callApi<T>(method: string, path: string, token: string | undefined, body: unknown): Promise<T> {
  return send<T>(method, path, token, { type: 'application/json', data: JSON.stringify(body) });
}

/** A build the API answered with, as far as the tests read it. */
export interface StartedBuild {
  id: string;
  number: number;
  trigger: string;
}

/**
 * `dir` packed as `wharf deploy` packs it (the CLI's own packer: `.dockerignore` applies) and uploaded to the app as
 * `token`, the way the CLI sends it: the build that starts.
 */
export async function uploadSource(tenant: string, app: string, token: string, dir: string): Promise<StartedBuild> {
  const { archive } = await packSource(dir);
  const path = `/tenants/${tenant}/apps/${app}/builds/upload`;
  return send<StartedBuild>('POST', path, token, { type: 'application/gzip', data: new Uint8Array(archive) });
}

async function send<T>(
  method: string,
  path: string,
  token: string | undefined,
  body: { type: string; data: string | Uint8Array<ArrayBuffer> },
): Promise<T> {
  const res = await fetch(`${inject('apiUrl')}/api/v1${path}`, {
    method,
    headers: { 'content-type': body.type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body.data,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A tab of the app's page. */
export function appSection(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name, exact: true });
}

/** Waits on the app's Deployments section until the app built from source runs; answers its URL. */
export async function runningBuiltApp(page: Page, appName: string, tenantSlug: string): Promise<string> {
  await appSection(page, 'Deployments').click();
  await page
    .locator('[data-testid="app-summary"] [data-testid="app-status"][data-status="running"]')
    .waitFor({ timeout: SETTLE_MS });
  expect(await page.getByTestId('app-kind').textContent()).toBe('Built from source');
  const appUrl = (await page.getByTestId('app-summary').getByTestId('app-url').getAttribute('href')) ?? '';
  expect(appUrl).toBe(`http://web.${appName}.${tenantSlug}.${inject('appsDomain')}:${inject('proxyPort')}`);
  return appUrl;
}

/** On a build's page: "Redeploy this build" to production; answers the deployment's view once it is live. */
export async function redeployToProduction(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Redeploy this build' }).click();
  const dialog = page.getByTestId('redeploy-dialog');
  expect(await dialog.getByLabel('Environment').inputValue()).toBe('production');
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
  const deployment = page.getByTestId('deployment-view');
  await deployment.locator('[data-testid="deployment-status"][data-status="live"]').waitFor({ timeout: SETTLE_MS });
  return deployment;
}
