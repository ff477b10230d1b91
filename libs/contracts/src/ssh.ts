import { z } from 'zod';

/*
 * What broker mode takes from a user about a host it reaches over SSH, and the pinned host key's format. The API
 * validates with these, and the broker parses the pinned key with the same code before comparing it with what the
 * server presents, so both sides agree on what a key is. Nothing here ever reaches a shell.
 */

/** The SSH host key types a pinned key may have. */
export const SSH_HOST_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;
export type SshHostKeyType = (typeof SSH_HOST_KEY_TYPES)[number];

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** A parsed OpenSSH public key line: its type and the key blob (what the server sends in its key exchange). */
export interface SshPublicKey {
  type: SshHostKeyType;
  blob: Uint8Array;
}

// Uint8Array and atob rather than Buffer: the dashboard validates with this module too, in the browser
const latin1 = (bytes: Uint8Array | undefined): string => (bytes ? String.fromCharCode(...bytes) : '');

/** Reads the SSH wire `string`s a key blob is made of; undefined when a length runs past the end. */
function wireStrings(blob: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const length = view.getUint32(at);
    at += 4;
    if (at + length > blob.length) return undefined;
    out.push(blob.subarray(at, at + length));
    at += length;
  }
  return out;
}

/** Whether a key blob is well formed for its type (the blob names the type itself; both must agree). */
function blobFits(type: SshHostKeyType, blob: Uint8Array): boolean {
  const parts = wireStrings(blob);
  if (!parts || latin1(parts[0]) !== type) return false;
  if (type === 'ssh-ed25519') return parts.length === 2 && parts[1]?.length === 32;
  if (type === 'ssh-rsa') {
    // e, then n: at least 2048 bits (a leading zero byte keeps an mpint positive)
    const n = parts[2];
    return parts.length === 3 && (parts[1]?.length ?? 0) > 0 && n !== undefined && n.length >= 256;
  }
  const curve = type.slice('ecdsa-sha2-'.length);
  return parts.length === 3 && latin1(parts[1]) === curve && (parts[2]?.length ?? 0) > 0;
}

const KEY_LINE = /^([a-z0-9-]+) ([A-Za-z0-9+/]+={0,2})(?: [\x20-\x7e]{0,200})?$/;

/**
 * Parses one OpenSSH public key line (`ssh-ed25519 AAAA… comment`): the type must be one of SSH_HOST_KEY_TYPES and
 * the base64 blob a well-formed key of that type. Undefined for anything else (several lines, options, junk).
 */
export function parseSshPublicKey(line: string): SshPublicKey | undefined {
  if (line.length > 4000) return undefined;
  const match = KEY_LINE.exec(line.trim());
  if (!match) return undefined;
  const type = SSH_HOST_KEY_TYPES.find((t) => t === match[1]);
  if (!type) return undefined;
  const base64 = match[2] ?? '';
  // atob refuses malformed base64 (a length that is not a whole number of bytes, padding in the middle)
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return undefined;
  }
  const blob = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return blobFits(type, blob) ? { type, blob } : undefined;
}

/** A pinned host key: one OpenSSH public key line of a supported type, as `ssh-keyscan` or `/etc/ssh/*.pub` show. */
export const SshHostKeyLine = z
  .string()
  .max(4000, { abort: true })
  .refine((v) => parseSshPublicKey(v) !== undefined, {
    message: `one OpenSSH public key line: ${SSH_HOST_KEY_TYPES.join(', ')} followed by its base64 key`,
  })
  .transform((v) => v.trim());

/** A DNS host name (labels of letters, digits and inner hyphens). */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Where the broker reaches a host: an IPv4 or IPv6 address, or a host name. */
export const SshAddress = z.union([z.ipv4(), z.ipv6(), z.string().regex(HOST_NAME, 'an IPv4 or IPv6 address or a host name')]);

/** A POSIX user name (the portable set; what `useradd` accepts by default). */
export const PosixUserName = z
  .string()
  .max(32, { abort: true })
  .regex(/^[a-z_][a-z0-9_-]*$/, 'a user name: lowercase letters, digits, _ and -, not starting with a digit or -');

/** An absolute path of plain segments (no `..`, no `.`): the engine's unix socket on the host. */
export const DockerSocketPath = z
  .string()
  .max(200, { abort: true })
  .regex(/^(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/, 'an absolute path such as /var/run/docker.sock')
  .refine((p) => !p.split('/').some((seg) => seg === '..' || seg === '.'), 'an absolute path without . or .. segments');
