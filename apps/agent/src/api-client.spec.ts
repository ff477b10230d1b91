import { AGENT_PATHS } from '@wharf/contracts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ApiClient, type FetchFn, pathOf } from './api-client.js';
import { backoffDelay } from './backoff.js';
import { ApiError, FatalAuthError, ProtocolError } from './errors.js';

type Answer = { status: number; body?: unknown } | Error;

/** A fetch answering from a script, recording what it was asked. */
function scripted(answers: Answer[]) {
  const seen: { url: string; auth: string | null; body: unknown }[] = [];
  const fetchFn: FetchFn = async (input, init) => {
    const headers = new Headers(init?.headers);
    seen.push({ url: String(input), auth: headers.get('authorization'), body: JSON.parse(String(init?.body)) });
    const next = answers.shift() ?? { status: 500 };
    if (next instanceof Error) throw next;
    return new Response(next.body === undefined ? '' : JSON.stringify(next.body), { status: next.status });
  };
  return { fetchFn, seen };
}

const client = (fetchFn: FetchFn, credential = 'wharfa_one') =>
  new ApiClient({
    baseUrl: 'http://api.test',
    credential,
    log: pino({ level: 'silent' }),
    fetch: fetchFn,
    backoff: { initialMs: 1, maxMs: 2 },
  });

const beat = {
  engine: { version: '20.10', apiVersion: '1.41', os: 'linux', swarmNodeId: 'n1' },
  nodes: [],
  services: [],
  version: '0.1.0',
};

describe('ApiClient', () => {
  it('sends JSON with the bearer credential and parses the answer with the protocol schema', async () => {
    const { fetchFn, seen } = scripted([{ status: 200, body: { commands: [] } }]);
    expect(await client(fetchFn).poll({ restarted: true, waitMs: 10 })).toEqual({ commands: [] });
    expect(seen).toEqual([
      { url: `http://api.test${AGENT_PATHS.poll}`, auth: 'Bearer wharfa_one', body: { restarted: true, waitMs: 10 } },
    ]);
  });

  it('retries network errors, 5xx and 429, then succeeds', async () => {
    const { fetchFn, seen } = scripted([
      new TypeError('fetch failed'),
      { status: 503 },
      { status: 429 },
      { status: 200, body: { intervalMs: 5000 } },
    ]);
    const api = client(fetchFn);
    await api.postResult('c1', { ok: true });
    expect(seen).toHaveLength(4);
  });

  it('gives up after the allowed attempts where retries are bounded', async () => {
    const { fetchFn, seen } = scripted([{ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 }]);
    await expect(client(fetchFn).postEvents({ events: [{ at: 1, type: 'node', action: 'x', message: 'm' }] })).rejects.toThrow(
      /502/,
    );
    expect(seen).toHaveLength(3);
  });

  it('treats 401 and 403 as fatal, other 4xx as ApiError, a wrong shape as ProtocolError', async () => {
    await expect(client(scripted([{ status: 401, body: { detail: 'revoked' } }]).fetchFn).heartbeat(beat)).rejects.toThrow(
      FatalAuthError,
    );
    await expect(client(scripted([{ status: 403 }]).fetchFn).rotateCredential(async () => undefined)).rejects.toThrow(
      FatalAuthError,
    );
    await expect(
      client(scripted([{ status: 404, body: { detail: 'no such command' } }]).fetchFn).postResult('c', { ok: true }),
    ).rejects.toThrow(
      new ApiError(404, `the API answered 404 on ${pathOf(AGENT_PATHS.result, { commandId: 'c' })}: no such command`),
    );
    await expect(client(scripted([{ status: 200, body: { nope: 1 } }]).fetchFn).poll({})).rejects.toThrow(ProtocolError);
  });

  it('sends a request refused during a rotation again with the new credential', async () => {
    let api: ApiClient | undefined;
    const seen: (string | null)[] = [];
    const fetchFn: FetchFn = async (_input, init) => {
      const auth = new Headers(init?.headers).get('authorization');
      seen.push(auth);
      if (auth === 'Bearer wharfa_one') {
        api?.setCredential('wharfa_two');
        return new Response('', { status: 401 });
      }
      return new Response(JSON.stringify({ intervalMs: 1000 }), { status: 200 });
    };
    api = client(fetchFn);
    await expect(api.heartbeat(beat)).resolves.toEqual({ intervalMs: 1000 });
    expect(seen).toEqual(['Bearer wharfa_one', 'Bearer wharfa_two']);
  });
});

describe('backoffDelay', () => {
  it('doubles from 0.5 s up to 30 s, with jitter in the upper half', () => {
    expect(backoffDelay(0, undefined, () => 0)).toBe(250);
    expect(backoffDelay(0, undefined, () => 1)).toBe(500);
    expect(backoffDelay(3, undefined, () => 1)).toBe(4000);
    expect(backoffDelay(20, undefined, () => 1)).toBe(30_000);
    expect(backoffDelay(20, undefined, () => 0)).toBe(15_000);
  });

  it('sends again with the new credential a call refused while a rotation was under way', async () => {
    const { fetchFn, seen } = scripted([
      { status: 200, body: { credential: 'wharfa_two' } },
      { status: 401, body: { detail: 'old credential' } },
      { status: 200, body: { intervalMs: 5000 } },
    ]);
    const api = client(fetchFn);
    let saved: () => void = () => undefined;
    const saving = new Promise<void>((resolve) => {
      saved = resolve;
    });
    // the rotation is answered, and while its new credential is being saved a heartbeat goes out with the old one
    const rotation = api.rotateCredential(() => saving);
    await new Promise((r) => setTimeout(r, 5));
    const heartbeat = api.heartbeat(beat);
    await new Promise((r) => setTimeout(r, 5));
    saved();
    await rotation;
    await expect(heartbeat).resolves.toEqual({ intervalMs: 5000 });
    expect(seen.map((c) => c.auth)).toEqual(['Bearer wharfa_one', 'Bearer wharfa_one', 'Bearer wharfa_two']);
  });
});
