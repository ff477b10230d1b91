import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDeployKey } from './deploy-key.js';
import { GitError } from './errors.js';

// needs ssh-keygen (Debian: openssh-client)
const dir = mkdtempSync(join(tmpdir(), 'wharf-deploy-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keygen(args: string[]): string {
  return execFileSync('ssh-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe('generateDeployKey', () => {
  it.each(['wharf deploy key app-1', '', 'x', 'seven c'])('ssh-keygen reads the key back (comment %j)', (comment) => {
    const key = generateDeployKey(comment);
    const file = join(dir, `id-${comment.length}`);
    writeFileSync(file, key.privateKey, { mode: 0o600 });

    expect(key.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\n$/);
    expect(key.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}/);
    // the private key reproduces the public key, and the fingerprint is what ssh-keygen computes
    expect(keygen(['-y', '-f', file])).toBe(key.publicKey);
    expect(keygen(['-l', '-E', 'sha256', '-f', file])).toContain(` ${key.fingerprint} `);
    writeFileSync(`${file}.pub`, `${key.publicKey}\n`);
    expect(keygen(['-l', '-f', `${file}.pub`]).split(' ')[1]).toBe(key.fingerprint);
  });

  it('makes a new key every time', () => {
    const a = generateDeployKey('a');
    const b = generateDeployKey('a');
    expect(a.publicKey).not.toBe(b.publicKey);
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it.each(['line\nbreak', 'tab\there', 'x'.repeat(201), 'ümlaut'])('refuses the comment %j', (comment) => {
    expect(() => generateDeployKey(comment)).toThrow(GitError);
  });
});
