import type { Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import { viaProxy } from '../../../tests/support/apps.js';
import './provided.js';

/** Helpers of the builds browser test. */

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
export async function callApi<T>(method: string, path: string, token: string | undefined, body: unknown): Promise<T> {
  const res = await fetch(`${inject('apiUrl')}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A tab of the app's page. */
export function appSection(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name, exact: true });
}
