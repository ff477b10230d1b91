import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';

/** The dashboard's budget for the JavaScript a route loads when opened cold, gzipped. */
export const FIRST_LOAD_BUDGET_KB = 250;
/** No new script for this long after `load`: the route has loaded what it loads on its own. */
const QUIET_MS = 1_500;
const MAX_WAIT_MS = 30_000;

export interface FirstLoad {
  /** Sum of the gzipped bodies of every script, in KB (1 024 bytes). */
  kb: number;
  /** Each script's path and gzipped bytes, largest first. */
  scripts: { path: string; bytes: number }[];
  /** The page's HTTP status, and scripts answered with an error: a figure is only the route's when both are clean. */
  status: number;
  failedScripts: string[];
}

/**
 * Opens `path` in a fresh page of `context` (its cookies: signed in or not) with the browser cache disabled, and
 * collects every JavaScript response until no new script has come for a while after `load`. Each script is then
 * fetched again and gzipped here (level 6, what `next start` serves): the browser drops bodies it no longer needs, and
 * the figure then does not depend on the server compressing.
 */
export async function firstLoadJs(context: BrowserContext, path: string): Promise<FirstLoad> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const loaded = new Set<string>();
    const failedScripts: string[] = [];
    let lastScriptAt = Date.now();
    page.on('request', (request) => {
      if (request.resourceType() === 'script') lastScriptAt = Date.now();
    });
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      lastScriptAt = Date.now();
      if (response.ok()) loaded.add(response.url());
      else failedScripts.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    const document = await page.goto(path, { waitUntil: 'load' });
    const started = Date.now();
    while (Date.now() - lastScriptAt < QUIET_MS && Date.now() - started < MAX_WAIT_MS) {
      await page.waitForTimeout(250);
    }
    const scripts = await Promise.all([...loaded].map(weigh));
    scripts.sort((a, b) => b.bytes - a.bytes);
    const bytes = scripts.reduce((sum, script) => sum + script.bytes, 0);
    return { kb: Math.round((bytes / 1024) * 10) / 10, scripts, status: document?.status() ?? 0, failedScripts };
  } finally {
    await page.close();
  }
}

/** A script's path and its body's gzipped size. */
async function weigh(url: string): Promise<{ path: string; bytes: number }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status} when fetched again`);
  return { path: new URL(url).pathname, bytes: gzipSync(Buffer.from(await response.arrayBuffer())).length };
}
