import type { App, Page } from '../api-types.js';
import type { ApiClient } from '../client.js';
import { dim, say, table } from '../output.js';

/** `wharf apps`: every app of the tenant (all pages). */
export async function listApps(client: ApiClient): Promise<void> {
  const apps: App[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<App> = await client.get<Page<App>>(client.tenantPath('apps'), 'listing the apps', {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    apps.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  if (apps.length === 0) {
    say(dim(`No apps in ${client.tenant} yet: \`wharf deploy\` in a project directory creates one.`));
    return;
  }
  say(
    table(
      ['NAME', 'KIND', 'STATUS', 'URL'],
      apps.map((a) => [a.name, a.kind, a.status, a.url ?? '-']),
    ),
  );
}
