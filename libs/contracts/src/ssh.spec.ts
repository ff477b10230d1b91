import { describe, expect, it } from 'vitest';
import { CreateHostBody } from './hosts.js';
import { parseSshPublicKey, SshHostKeyLine } from './ssh.js';

// public keys made with ssh-keygen (ed25519, ecdsa 256, rsa 2048, rsa 1024)
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILB4nOAfnUKIFiqGUtrvGF86bAj7aWyreG1hb0OC+Car';
const ECDSA =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGyPhm6iKc2odTxOobWpraeNs+d8jolciYABxQVyaDXavGWbWDOCh0Slx82CTThLsdhzPYhmR3+G+WtJpVWBqd0=';
const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCu+LCk73cDeCx4PTvHo4wqlnoBNVzwLCD/qEEtw5joSysrH8KFGKxGQREaB7/196p57rJYnUr8uWgTDmvMBC8TS9DomCyxTqGcnCYNtAMezTV+0dRg5hBf5oAgZgwAlUw3QwxuIW+xz6vzHQQ64Xb7jQeDk+JeC/TUeE4N4RpK0uEe1UM9fgx4wOJCPDKKvuZkcFTVKjCwRd7iXV26Ji8TFciUV7YTcAtwsO0aEq6IItkOmM/qNFMHoSLuKMOozwhUbFe3Y2vcvmTn1nUi1Lt1leqtOi4iYC7CSUENYqaT/TpErtoYQN4sX8hfUZdq0JQGb5+/X3SIgxPE7asawO3D';
const RSA_1024 =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDY+7yiYPg0x670KWvK0YsFY8UNmAIrVpwrVCZmbXeS1krupIphMPQeLFLXQ3H1IpcmAzNpHNku0uDvlg9ILGepQIK3xbXsgROW9yniyndjsjLPPeN92ehZSm9IhDUCQPYnUkCOtPoFaQyO1Ty5+X/hMu15O/y9kNX4rZNSPQ3i8Q==';
const BROKER = '3f1c2f9e-8a3b-4c55-9e0a-2d7b1f3c4a5e';

const ssh = (over: Record<string, unknown> = {}) => ({
  provider: 'ssh',
  name: 'db-1',
  address: '10.0.0.5',
  user: 'deploy',
  hostKey: ED25519,
  brokerId: BROKER,
  ...over,
});

describe('parseSshPublicKey', () => {
  it.each([ED25519, ECDSA, RSA, `${ED25519} root@h1`, `  ${ECDSA} a comment with spaces `])('reads %s', (line) => {
    const key = parseSshPublicKey(line);
    expect(key?.type).toBe(line.trim().split(' ')[0]);
    expect(key?.blob.length).toBeGreaterThan(40);
  });

  it.each([
    ['an empty string', ''],
    ['a type alone', 'ssh-ed25519'],
    ['an unsupported type', ED25519.replace('ssh-ed25519', 'ssh-dss')],
    ['a type the blob contradicts', ED25519.replace('ssh-ed25519', 'ecdsa-sha2-nistp256')],
    ['an RSA key under 2048 bits', RSA_1024],
    ['a truncated blob', ED25519.slice(0, -8)],
    ['two lines', `${ED25519}\n${ECDSA}`],
    ['authorized_keys options', `command="sh" ${ED25519}`],
    ['shell characters in the comment', `${ED25519} $(reboot)\nx`],
    ['not base64', 'ssh-ed25519 AAAA!!!!'],
    ['a control character', `${ED25519} a\u0000b`],
  ])('refuses %s', (_what, line) => {
    expect(parseSshPublicKey(line)).toBeUndefined();
    expect(SshHostKeyLine.safeParse(line).success).toBe(false);
  });
});

describe('CreateHostBody (provider ssh)', () => {
  it('fills the defaults', () => {
    const body = CreateHostBody.parse(ssh());
    expect(body).toEqual({
      ...ssh(),
      region: 'ssh',
      port: 22,
      dockerSocket: '/var/run/docker.sock',
    });
  });

  it.each([
    { address: 'fd00::5' },
    { address: 'db-1.example.com', port: 2222 },
    { user: '_svc-1', dockerSocket: '/run/user/1000/docker.sock', hostKey: RSA },
  ])('accepts %j', (over) => {
    expect(CreateHostBody.safeParse(ssh(over)).success).toBe(true);
  });

  it.each([
    ['an address with a shell', { address: '10.0.0.5;reboot' }],
    ['an address that is an option', { address: '-oProxyCommand=sh' }],
    ['an address with a user', { address: 'root@10.0.0.5' }],
    ['an address with a port', { address: '10.0.0.5:22' }],
    ['a user with a space', { user: 'de ploy' }],
    ['a user that is an option', { user: '-l' }],
    ['a user of 33 characters', { user: 'a'.repeat(33) }],
    ['port 0', { port: 0 }],
    ['port 65536', { port: 65_536 }],
    ['a port as a string', { port: '22' }],
    ['a relative socket', { dockerSocket: 'docker.sock' }],
    ['a socket with ..', { dockerSocket: '/var/run/../../etc/shadow' }],
    ['a socket with a newline', { dockerSocket: '/var/run/docker.sock\n' }],
    ['a socket with a space', { dockerSocket: '/var/run/my docker.sock' }],
    ['a host key of another type', { hostKey: ED25519.replace('ssh-ed25519', 'ssh-dss') }],
    ['no host key', { hostKey: undefined }],
    ['no broker', { brokerId: undefined }],
    ['a broker that is not an id', { brokerId: 'broker-1' }],
    ['an unknown field', { password: 'x' }],
    ['a cloud account', { cloudAccountId: BROKER }],
  ])('refuses %s', (_what, over) => {
    expect(CreateHostBody.safeParse(ssh(over)).success).toBe(false);
  });
});
