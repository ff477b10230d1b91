import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DockerSocketPath, JOIN_TOKEN_PREFIX, PosixUserName, SshAddress, SshHostKeyLine } from '@wharf/contracts';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { ConfigError, errorMessage } from '../errors.js';

/*
 * What a broker keeps in its state directory (the directory of its own agent state file), so that a restarted
 * broker resumes every host agent:
 *   broker_ed25519, broker_ed25519.pub   its SSH key pair, generated on first start (the private key never leaves it)
 *   hosts/<hostId>.json                  one attached host: where it is, its pinned key, its engine's socket
 *   hosts/<hostId>.agent.json            that host agent's own state (identity and credential, as any agent's)
 * Every file is written atomically (a temporary file renamed), mode 0600, in directories of mode 0700.
 */

export const BrokerHost = z.strictObject({
  hostId: z.uuid(),
  address: SshAddress,
  port: z.number().int().min(1).max(65_535),
  user: PosixUserName,
  hostKey: SshHostKeyLine,
  dockerSocket: DockerSocketPath,
  /** Kept only until the host agent registered (its own state file then holds its credential). */
  registrationToken: z.string().startsWith(JOIN_TOKEN_PREFIX).max(200).optional(),
});
export type BrokerHost = z.output<typeof BrokerHost>;

export interface BrokerKeys {
  privateKey: string;
  /** `ssh-ed25519 AAAA… wharf-broker`: what the API shows for the hosts' authorized_keys. */
  publicKey: string;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new ConfigError(`cannot write ${file}: ${errorMessage(err)}`);
  }
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${errorMessage(err)}`);
  }
}

/** The broker's files under its state directory. */
export class BrokerStore {
  private readonly hostsDir: string;

  constructor(readonly dir: string) {
    this.hostsDir = path.join(dir, 'hosts');
  }

  /** The broker's SSH key pair: read, or generated and saved on first start. */
  async keys(): Promise<BrokerKeys> {
    const privateFile = path.join(this.dir, 'broker_ed25519');
    const [privateKey, publicKey] = await Promise.all([readIfThere(privateFile), readIfThere(`${privateFile}.pub`)]);
    if (privateKey && publicKey) {
      await chmod(privateFile, 0o600);
      return { privateKey, publicKey: publicKey.trim() };
    }
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'wharf-broker' });
    // the public half last: a crash in between generates a new pair on the next start rather than a mismatched one
    await writeAtomic(privateFile, pair.private);
    await writeAtomic(`${privateFile}.pub`, `${pair.public.trim()}\n`);
    return { privateKey: pair.private, publicKey: pair.public.trim() };
  }

  agentStatePath(hostId: string): string {
    return path.join(this.hostsDir, `${z.uuid().parse(hostId)}.agent.json`);
  }

  private hostFile(hostId: string): string {
    return path.join(this.hostsDir, `${z.uuid().parse(hostId)}.json`);
  }

  async saveHost(host: BrokerHost): Promise<void> {
    await writeAtomic(this.hostFile(host.hostId), `${JSON.stringify(BrokerHost.parse(host))}\n`);
  }

  async readHost(hostId: string): Promise<BrokerHost | undefined> {
    const text = await readIfThere(this.hostFile(hostId));
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConfigError(`${this.hostFile(hostId)} is not JSON`);
    }
    const parsed = BrokerHost.safeParse(json);
    if (!parsed.success) throw new ConfigError(`${this.hostFile(hostId)} is not an attached host`);
    return parsed.data;
  }

  /** Every attached host (a file that does not parse is reported, not fatal: the other hosts still resume). */
  async hosts(onBad: (file: string, err: string) => void): Promise<BrokerHost[]> {
    const names = await readdir(this.hostsDir).catch(() => [] as string[]);
    const out: BrokerHost[] = [];
    for (const name of names) {
      const match = /^([0-9a-f-]{36})\.json$/.exec(name);
      if (!match?.[1]) continue;
      try {
        const host = await this.readHost(match[1]);
        if (host) out.push(host);
      } catch (err) {
        onBad(name, errorMessage(err));
      }
    }
    return out;
  }

  async forgetHost(hostId: string): Promise<boolean> {
    const existed = (await readIfThere(this.hostFile(hostId))) !== undefined;
    await rm(this.hostFile(hostId), { force: true });
    await rm(this.agentStatePath(hostId), { force: true });
    return existed;
  }
}
