import type Docker from 'dockerode';
import { PushError } from './errors.js';
import { readJsonMessages, type StreamMessage } from './json-stream.js';
import { secretMasker } from './mask.js';

export interface RegistryAuth {
  username: string;
  password: string;
  /** `host[:port]` of the registry. */
  serveraddress: string;
}

export interface PushOptions {
  auth?: RegistryAuth;
  signal: AbortSignal;
  onLog: (line: string) => void;
}

/** Splits `host:port/repo:tag` into repository and tag (the last `:` after the last `/`). */
export function splitReference(ref: string): { repository: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: 'latest' };
}

const DENIED = /denied|unauthori[sz]ed|authentication required|forbidden/i;

/**
 * Pushes `ref` (a full reference with a tag) and returns the manifest digest the registry stored, read from the
 * engine's final `{"aux":{"Tag","Digest","Size"}}` message.
 */
export async function pushImage(docker: Docker, ref: string, opts: PushOptions): Promise<{ digest: string }> {
  const mask = secretMasker(opts.auth ? [opts.auth.password] : []);
  const log = (line: string) => opts.onLog(mask(line));
  if (opts.signal.aborted) throw new PushError('cancelled', `The push of ${ref} was cancelled.`);
  const { repository, tag } = splitReference(ref);
  // the engine wants an X-Registry-Auth header even for an anonymous registry
  const authconfig = opts.auth ?? { serveraddress: repository.split('/')[0] };
  let digest: string | undefined;
  let failure: string | undefined;
  const handle = (m: StreamMessage) => {
    if (m.error || m.errorDetail) failure = m.errorDetail?.message ?? m.error;
    else if (m.aux && typeof m.aux === 'object' && m.aux.Digest) digest = m.aux.Digest;
    else if (typeof m.status === 'string' && !m.progressDetail?.total) log(m.id ? `${m.id}: ${m.status}` : m.status);
  };
  try {
    const stream = (await docker
      .getImage(repository)
      .push({ tag, authconfig, abortSignal: opts.signal })) as NodeJS.ReadableStream & AsyncIterable<Buffer>;
    await readJsonMessages(stream, handle, log);
  } catch (e) {
    if (opts.signal.aborted) throw new PushError('cancelled', `The push of ${ref} was cancelled.`);
    const message = mask(e instanceof Error ? e.message : String(e));
    throw new PushError(DENIED.test(message) ? 'denied' : 'failed', `The push of ${ref} failed: ${message}`);
  }
  if (failure !== undefined) {
    const message = mask(failure);
    throw new PushError(DENIED.test(message) ? 'denied' : 'failed', `The push of ${ref} failed: ${message}`);
  }
  if (!digest) throw new PushError('failed', `The engine pushed ${ref} but reported no digest.`);
  return { digest };
}
