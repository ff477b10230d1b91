import { createHash } from 'node:crypto';
import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseSshPublicKey, type SshHostKeyType } from '@wharf/contracts';
import Docker from 'dockerode';
import ssh2, { type ConnectConfig, type Client as SshClient } from 'ssh2';
import { DockerRepository } from '../docker/repository.js';
import { AgentError, errorMessage } from '../errors.js';

/*
 * The Docker engine of an `ssh` host, reached from the broker: one SSH connection per host (key auth, the host key
 * pinned), and per HTTP connection of dockerode one `direct-streamlocal@openssh.com` channel to the engine's unix
 * socket (`AllowStreamLocalForwarding` on the host's sshd). The host runs no agent and needs no docker CLI.
 */

/** Where and how the broker reaches one host. */
export interface SshTarget {
  address: string;
  port: number;
  user: string;
  /** The pinned host key: one OpenSSH public key line. */
  hostKey: string;
  dockerSocket: string;
}

/** The host presented another key than the pinned one, or the broker's key was refused: retrying cannot help. */
export class SshRefusedError extends AgentError {
  override readonly name = 'SshRefusedError';
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The host-key check of a connection: accepts exactly the pinned key's blob (what the server signs the key exchange
 * with), nothing else. `seen` is told the key that was refused, for the error message. Throws for a pin that is not
 * a key line (the API validates it; a broker state file edited by hand might not be).
 */
export function pinnedHostVerifier(hostKey: string, seen?: (blob: Buffer) => void): (key: Buffer) => boolean {
  const pinned = parseSshPublicKey(hostKey);
  if (!pinned) throw new SshRefusedError('the pinned host key is not one OpenSSH public key line');
  const expected = Buffer.from(pinned.blob);
  return (key: Buffer) => {
    const ok = Buffer.isBuffer(key) && key.length === expected.length && key.equals(expected);
    if (!ok) seen?.(key);
    return ok;
  };
}

/** The host key algorithms to negotiate: only the pinned key's, so the server cannot present another of its keys. */
export function hostKeyAlgorithms(type: SshHostKeyType): NonNullable<NonNullable<ConnectConfig['algorithms']>['serverHostKey']> {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [type];
}

/** A key line's type (validated before use). */
function keyType(hostKey: string): SshHostKeyType {
  const parsed = parseSshPublicKey(hostKey);
  if (!parsed) throw new SshRefusedError('the pinned host key is not one OpenSSH public key line');
  return parsed.type;
}

/**
 * One SSH connection to a host, opened on first use and again after it dropped; `channel()` opens a stream to the
 * engine's socket over it. Errors name the host and say what to do (a refused host key, an unauthorised broker key).
 */
export class SshConnection {
  private client: Promise<SshClient> | undefined;
  private closed = false;

  constructor(
    private readonly target: SshTarget,
    private readonly privateKey: string,
    private readonly timeoutMs = 20_000,
  ) {}

  private get where(): string {
    return `${this.target.user}@${this.target.address}:${this.target.port}`;
  }

  async channel(): Promise<Duplex> {
    const client = await this.connected();
    return new Promise<Duplex>((resolve, reject) => {
      client.openssh_forwardOutStreamLocal(this.target.dockerSocket, (err, channel) => {
        if (err)
          reject(new AgentError(`${this.where}: cannot open the engine socket ${this.target.dockerSocket}: ${err.message}`));
        else resolve(channel);
      });
    });
  }

  close(): void {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    void client?.then((c) => c.end()).catch(() => undefined);
  }

  private connected(): Promise<SshClient> {
    if (this.closed) return Promise.reject(new AgentError(`${this.where}: the connection was closed`));
    this.client ??= this.open().catch((err: unknown) => {
      this.client = undefined;
      throw err;
    });
    return this.client;
  }

  private open(): Promise<SshClient> {
    const client = new ssh2.Client();
    let refusedKey: Buffer | undefined;
    const verifier = pinnedHostVerifier(this.target.hostKey, (blob) => {
      refusedKey = blob;
    });
    return new Promise<SshClient>((resolve, reject) => {
      let ready = false;
      client.once('ready', () => {
        ready = true;
        resolve(client);
      });
      client.on('error', (err: Error & { level?: string }) => {
        if (ready) return; // a dropped connection: the next channel() opens another
        if (refusedKey)
          reject(
            new SshRefusedError(
              `${this.where}: the host key presented (${fingerprint(refusedKey)}) is not the pinned host key (${fingerprint(
                parseSshPublicKey(this.target.hostKey)?.blob ?? new Uint8Array(),
              )}); check the host key given for this host`,
            ),
          );
        else if (err.level === 'client-authentication')
          reject(
            new SshRefusedError(
              `${this.where}: the broker's SSH key was refused; add the broker's public key to that user's authorized_keys`,
            ),
          );
        else reject(new AgentError(`${this.where}: cannot connect over SSH: ${errorMessage(err)}`));
      });
      client.on('close', () => {
        if (!ready) reject(new AgentError(`${this.where}: the SSH connection closed before it was ready`));
        if (this.client && ready) this.client = undefined;
      });
      client.connect({
        host: this.target.address,
        port: this.target.port,
        username: this.target.user,
        privateKey: this.privateKey,
        hostVerifier: verifier,
        algorithms: { serverHostKey: hostKeyAlgorithms(keyType(this.target.hostKey)) },
        readyTimeout: this.timeoutMs,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 3,
      });
    });
  }
}

/** An http.Agent whose connections are channels to the engine's socket over the host's SSH connection. */
class SshSocketAgent extends Agent {
  constructor(
    private readonly ssh: SshConnection,
    options?: AgentOptions,
  ) {
    super(options);
  }

  override createConnection(_options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    this.ssh.channel().then(
      (stream) => callback?.(null, stream),
      // node's own agents call back with the error alone (its typings want a stream there too)
      (err: unknown) =>
        callback?.(err instanceof Error ? err : new AgentError(errorMessage(err)), undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** The host's engine behind its SSH connection, as the agent's DockerRepository (docker-modem uses `opts.agent`). */
export function sshDockerRepository(ssh: SshConnection): DockerRepository {
  // `agent` is passed through to every request by docker-modem, though dockerode's typings do not list it
  const options: Docker.DockerOptions & { agent: Agent } = {
    protocol: 'http',
    host: 'docker',
    port: 80,
    agent: new SshSocketAgent(ssh),
  };
  return new DockerRepository(new Docker(options));
}
