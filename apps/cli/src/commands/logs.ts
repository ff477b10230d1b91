import type { LogLine } from '../api-types.js';
import { environmentOf, str, tailOf } from '../args.js';
import type { ApiClient } from '../client.js';
import { dim, red } from '../output.js';
import { resolveApp } from '../project.js';

type Values = Record<string, string | boolean | undefined>;

/** `wharf logs`: every replica's lines of one service; `-f` keeps streaming until Ctrl-C. */
export async function logs(client: ApiClient, values: Values, dir = process.cwd()): Promise<void> {
  const { app } = await resolveApp(str(values, 'app'), dir);
  const service = str(values, 'service') ?? 'web';
  const follow = values.follow === true;
  const tail = tailOf(values);
  const quit = new AbortController();
  const onSigint = () => quit.abort();
  if (follow) process.on('SIGINT', onSigint);
  try {
    const stream = client.events(client.appPath(app, 'services', service, 'logs'), {
      what: `reading the logs of ${app}/${service}`,
      query: { environment: environmentOf(values), follow, ...(tail !== undefined ? { tail } : {}) },
      signal: quit.signal,
    });
    for await (const e of stream) {
      if (e.event === 'end') break;
      if (e.event !== 'log') continue;
      const line = JSON.parse(e.data) as LogLine;
      const text = line.stream === 'stderr' ? red(line.line) : line.line;
      process.stdout.write(`${dim(`${new Date(line.at).toISOString()} ${line.source}`)} ${text}\n`);
    }
  } catch (e) {
    if (!quit.signal.aborted) throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
