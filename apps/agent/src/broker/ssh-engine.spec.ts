import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseSshPublicKey } from '@wharf/contracts';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fingerprint,
  hostKeyAlgorithms,
  pinnedHostVerifier,
  SshConnection,
  SshRefusedError,
  sshDockerRepository,
} from './ssh-engine.js';

// The SSH transport of broker mode against an in-process SSH server (ssh2's): key auth, the pinned host key, and a
// stream-local forward to a unix socket served by a stand-in engine that answers /_ping. The real sshd and dockerd
// are in tests/workloads/broker.e2e.spec.ts.

const hostPair = ssh2.utils.generateKeyPairSync('ed25519');
const otherHostPair = ssh2.utils.generateKeyPairSync('ed25519');
const brokerPair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'wharf-broker' });
const strangerPair = ssh2.utils.generateKeyPairSync('ed25519');

const blobOf = (line: string): Buffer => Buffer.from(parseSshPublicKey(line)?.blob ?? new Uint8Array());

describe('pinnedHostVerifier', () => {
  it('accepts exactly the pinned key and refuses another', () => {
    const seen: string[] = [];
    const verify = pinnedHostVerifier(hostPair.public, (blob) => seen.push(fingerprint(blob)));
    expect(verify(blobOf(hostPair.public))).toBe(true);
    expect(verify(blobOf(otherHostPair.public))).toBe(false);
    // the same key with one byte changed, a prefix, nothing
    const tampered = Buffer.from(blobOf(hostPair.public));
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(verify(tampered)).toBe(false);
    expect(verify(blobOf(hostPair.public).subarray(0, 20))).toBe(false);
    expect(verify(Buffer.alloc(0))).toBe(false);
    expect(seen).toHaveLength(4);
    expect(seen[0]).toBe(fingerprint(blobOf(otherHostPair.public)));
  });

  it.each(['', 'ssh-ed25519', 'ssh-ed25519 AAAA', `${hostPair.public}\n${otherHostPair.public}`, 'ssh-dss AAAAB3NzaC1kc3M='])(
    'refuses a malformed pin %j',
    (pin) => {
      expect(() => pinnedHostVerifier(pin)).toThrow(SshRefusedError);
    },
  );

  it('negotiates only the pinned key type', () => {
    expect(hostKeyAlgorithms('ssh-ed25519')).toEqual(['ssh-ed25519']);
    expect(hostKeyAlgorithms('ecdsa-sha2-nistp256')).toEqual(['ecdsa-sha2-nistp256']);
    expect(hostKeyAlgorithms('ssh-rsa')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});

describe('SshConnection (in-process SSH server)', () => {
  let dir: string;
  let socketPath: string;
  let engine: HttpServer;
  let server: ssh2.Server;
  let port: number;
  const forwarded: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wharf-ssh-engine-'));
    socketPath = path.join(dir, 'docker.sock');
    engine = createHttpServer((req, res) => {
      res.writeHead(req.url?.endsWith('/_ping') ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(req.url?.endsWith('/_ping') ? 'OK' : 'not found');
    });
    await new Promise<void>((ok) => engine.listen(socketPath, ok));
    const authorized = blobOf(brokerPair.public);
    server = new ssh2.Server({ hostKeys: [hostPair.private] }, (client) => {
      client.on('authentication', (ctx) => {
        if (ctx.method === 'publickey' && ctx.username === 'deploy' && Buffer.from(ctx.key.data).equals(authorized)) ctx.accept();
        else ctx.reject(['publickey']);
      });
      client.on('ready', () => {
        client.on('openssh.streamlocal', (accept, _reject, info) => {
          forwarded.push(info.socketPath);
          const channel = accept();
          const socket = connect(info.socketPath);
          channel.pipe(socket).pipe(channel);
        });
      });
      client.on('error', () => undefined);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
    await new Promise<void>((ok) => engine.close(() => ok()));
    await rm(dir, { recursive: true, force: true });
  });

  const target = (over: { hostKey?: string; user?: string } = {}) => ({
    address: '127.0.0.1',
    port,
    user: over.user ?? 'deploy',
    hostKey: over.hostKey ?? hostPair.public,
    dockerSocket: socketPath,
  });

  it('reaches the engine socket over SSH with the pinned host key', async () => {
    const ssh = new SshConnection(target(), brokerPair.private);
    try {
      const docker = sshDockerRepository(ssh);
      // two requests: each opens its own channel over the one connection
      expect(String(await docker.docker.ping())).toBe('OK');
      expect(String(await docker.docker.ping())).toBe('OK');
      expect(forwarded.filter((p) => p === socketPath).length).toBeGreaterThanOrEqual(2);
    } finally {
      ssh.close();
    }
  });

  it('refuses a host whose key is not the pinned one, naming the host key', async () => {
    const ssh = new SshConnection(target({ hostKey: otherHostPair.public }), brokerPair.private);
    const err = await ssh.channel().catch((e: unknown) => e);
    ssh.close();
    expect(err).toBeInstanceOf(SshRefusedError);
    expect((err as Error).message).toMatch(/host key presented \(SHA256:.+\) is not the pinned host key/);
    expect((err as Error).message).toContain(fingerprint(blobOf(hostPair.public)));
  });

  it('says so when the broker key is not authorised', async () => {
    const ssh = new SshConnection(target(), strangerPair.private);
    const err = await ssh.channel().catch((e: unknown) => e);
    ssh.close();
    expect(err).toBeInstanceOf(SshRefusedError);
    expect((err as Error).message).toMatch(/broker's SSH key was refused/);
  });
});
