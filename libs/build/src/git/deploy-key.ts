import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { GitError } from './errors.js';

export interface DeployKey {
  /** One authorized_keys / "deploy key" line: `ssh-ed25519 AAAA… comment`. */
  publicKey: string;
  /** An unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`), usable by `ssh -i`. */
  privateKey: string;
  /** As `ssh-keygen -l` prints it: `SHA256:` and unpadded base64. */
  fingerprint: string;
}

const KEY_TYPE = 'ssh-ed25519';

/** SSH wire `string`: a uint32 big-endian length, then the bytes. */
function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

/** Generates an Ed25519 key pair for read-only access to one repository, in the formats OpenSSH uses. */
export function generateDeployKey(comment: string): DeployKey {
  if (!/^[\x20-\x7e]{0,200}$/.test(comment)) {
    throw new GitError('invalid-input', 'the key comment must be at most 200 printable ASCII characters');
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  if (pub.length !== 32 || seed.length !== 32) throw new Error('unexpected Ed25519 key length from node:crypto');

  const blob = Buffer.concat([sshString(KEY_TYPE), sshString(pub)]);
  // PROTOCOL.key: the private section repeats a random check integer, then key type, public key, private key
  // (seed followed by the public key, 64 bytes), comment, and padding 1, 2, 3… up to the cipher block size (8 for "none").
  const check = randomBytes(4).readUInt32BE();
  const section = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(KEY_TYPE),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1));
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'), // cipher
    sshString('none'), // kdf
    sshString(''), // kdf options
    uint32(1), // number of keys
    sshString(blob),
    sshString(Buffer.concat([section, padding])),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  seed.fill(0);

  return {
    publicKey: `${KEY_TYPE} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  };
}
