import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import https from 'node:https';
import type { Duplex, Readable } from 'node:stream';
import type Docker from 'dockerode';
import { decodePacket, diffCopy, type SyncEntry, selectEntries } from './filesync.js';

/*
 * A BuildKit session with the engine (what `docker build` opens): `POST /session` upgraded to HTTP/2 cleartext,
 * on which the engine is the gRPC client and Wharf the server. BuildKit then pulls the build context and the
 * Dockerfile through the session's file sync (`POST /build?remote=client-session&session=<id>`) instead of
 * unpacking a tar upload, and keeps what it received under the session's shared key: a rebuild of the same app
 * sends only the files that changed.
 */

const METHODS = {
  diffCopy: '/moby.filesync.v1.FileSync/DiffCopy',
  health: '/grpc.health.v1.Health/Check',
} as const;

/** HealthCheckResponse { status: SERVING } */
const SERVING = Buffer.from([0x08, 0x01]);

const GRPC_OK = '0';
const GRPC_UNKNOWN = '2';
const GRPC_UNIMPLEMENTED = '12';

export interface SessionOptions {
  /** Shown by the engine as the session's name. */
  name: string;
  /** What BuildKit keeps the received files under between builds: one per app and build target. */
  sharedKey: string;
  /** The directories BuildKit may ask for by name (`context`, `dockerfile`), in walk order. */
  dirs: Record<string, SyncEntry[]>;
  signal: AbortSignal;
}

export interface BuildSession {
  id: string;
  /** Why a transfer failed, if one did: the build's own error then says less. */
  failure(): Error | undefined;
  close(): void;
}

type EngineModem = {
  socketPath?: string;
  host?: string;
  port?: number | string;
  protocol?: string;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
};

/** `POST /session` with `Upgrade: h2c`; resolves with the raw connection once the engine switched protocols. */
function upgrade(docker: Docker, headers: http.OutgoingHttpHeaders, signal: AbortSignal): Promise<Duplex> {
  const modem = docker.modem as unknown as EngineModem;
  const target = modem.socketPath
    ? { socketPath: modem.socketPath }
    : { host: modem.host, port: modem.port, ca: modem.ca, cert: modem.cert, key: modem.key };
  return new Promise((resolve, reject) => {
    const request = (modem.protocol === 'https' ? https : http).request({
      ...target,
      method: 'POST',
      path: '/session',
      headers: { ...headers, Connection: 'Upgrade', Upgrade: 'h2c', 'Content-Length': '0' },
      signal,
    });
    request.on('upgrade', (_res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    request.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body = (body + c.toString()).slice(0, 2000);
      });
      res.on('end', () => reject(new Error(`the engine refused a build session: ${res.statusCode} ${body.trim()}`)));
    });
    request.on('error', reject);
    request.end();
  });
}

/** gRPC metadata values of one key: repeated headers, from the raw list Node keeps beside the joined object. */
function metadata(headers: IncomingHttpHeaders, raw: readonly string[] | undefined, key: string): string[] {
  if (raw) {
    const values: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]?.toLowerCase() === key) values.push(raw[i + 1] as string);
    return values;
  }
  const joined = headers[key];
  return joined === undefined ? [] : Array.isArray(joined) ? joined : joined.split(', ');
}

/**
 * The length-prefixed messages of a gRPC request stream. Stopping early leaves the stream open (a plain `for await`
 * would destroy it, and the engine would see the call cancelled before its status arrives).
 */
async function* grpcMessages(stream: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 5) {
      const length = pending.readUInt32BE(1);
      if (pending.length < 5 + length) break;
      if (pending[0] !== 0) throw new Error('the engine sent a compressed gRPC message');
      yield pending.subarray(5, 5 + length);
      pending = pending.subarray(5 + length);
    }
  }
}

function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** Writes one message; waits while the stream's buffer is full, fails if the stream closes first. */
function send(stream: ServerHttp2Stream, message: Buffer): Promise<void> {
  if (stream.destroyed || stream.closed) return Promise.reject(new Error('the engine closed the transfer'));
  if (stream.write(frame(message))) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the engine closed the transfer'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
  });
}

/** Answers one gRPC call: headers now, the status as trailers once `body` settles. */
function serve(stream: ServerHttp2Stream, body: () => Promise<void>, onError: (e: Error) => void): void {
  let status = GRPC_OK;
  let message = '';
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () =>
    stream.sendTrailers({ 'grpc-status': status, ...(message ? { 'grpc-message': encodeURIComponent(message) } : {}) }),
  );
  stream.on('error', () => undefined);
  body().then(
    () => stream.end(),
    (e: Error) => {
      status = GRPC_UNKNOWN;
      message = e.message;
      onError(e);
      if (!stream.destroyed) stream.end();
    },
  );
}

export async function openBuildSession(docker: Docker, opts: SessionOptions): Promise<BuildSession> {
  const id = randomUUID();
  let failure: Error | undefined;
  const socket = await upgrade(
    docker,
    {
      'X-Docker-Expose-Session-Uuid': id,
      'X-Docker-Expose-Session-Name': opts.name,
      'X-Docker-Expose-Session-Sharedkey': opts.sharedKey,
      'X-Docker-Expose-Session-Grpc-Method': Object.values(METHODS),
    },
    opts.signal,
  );
  const h2 = http2.performServerHandshake(socket);
  h2.on('error', (e) => {
    failure ??= e;
  });
  h2.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, raw?: string[]) => {
    const method = headers[':path'];
    if (method === METHODS.health) {
      stream.resume();
      serve(
        stream,
        () => send(stream, SERVING),
        () => undefined,
      );
    } else if (method === METHODS.diffCopy) {
      const name = metadata(headers, raw, 'dir-name')[0] ?? '';
      const entries = opts.dirs[name];
      serve(
        stream,
        async () => {
          if (!entries) throw new Error(`no directory ${JSON.stringify(name)} in this session`);
          const wanted = selectEntries(entries, {
            includePatterns: metadata(headers, raw, 'include-patterns'),
            excludePatterns: metadata(headers, raw, 'exclude-patterns'),
            followPaths: metadata(headers, raw, 'followpaths'),
          });
          const incoming = (async function* () {
            for await (const message of grpcMessages(stream)) yield decodePacket(message);
          })();
          await diffCopy(wanted, incoming, { send: (packet) => send(stream, packet) });
        },
        (e) => {
          failure ??= e;
        },
      );
    } else {
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': GRPC_UNIMPLEMENTED },
        { endStream: true },
      );
    }
  });
  return {
    id,
    failure: () => failure,
    close: () => {
      h2.destroy();
      socket.destroy();
    },
  };
}
