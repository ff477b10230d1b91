import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE = fileURLToPath(new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../../artifacts/a11y/', import.meta.url));
/** WCAG 2.1 A and AA: the rules a failing page breaks a standard with (best practices are in the JSON only). */
const OPTIONS: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
const BLOCKING: readonly ImpactValue[] = ['serious', 'critical'];
/** Selectors shown per violation in the failure (the JSON holds them all). */
const TARGETS_SHOWN = 3;

/**
 * Runs axe-core on the page as it is now: the full result goes to `artifacts/a11y/<name>.json`; fails listing every
 * serious or critical violation (rule, impact, what it asks for, where).
 */
export async function checkA11y(page: Page, name: string): Promise<void> {
  if ((await page.evaluate(() => typeof (window as { axe?: unknown }).axe)) === 'undefined') {
    await page.addScriptTag({ path: AXE });
  }
  const results = await page.evaluate(
    (options) =>
      (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(
        document,
        options,
      ),
    OPTIONS,
  );
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const blocking = results.violations
    .filter((violation) => violation.impact && BLOCKING.includes(violation.impact))
    .map((violation) => {
      const targets = violation.nodes.map((node) =>
        node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' '),
      );
      const more = targets.length > TARGETS_SHOWN ? ` (+${targets.length - TARGETS_SHOWN} more)` : '';
      return `${violation.id} [${violation.impact}] ${violation.help}: ${targets.slice(0, TARGETS_SHOWN).join(' | ')}${more}`;
    });
  const heading = `${name}: serious or critical accessibility violations (artifacts/a11y/${name}.json)`;
  expect(blocking, [heading, ...blocking].join('\n  ')).toEqual([]);
}
