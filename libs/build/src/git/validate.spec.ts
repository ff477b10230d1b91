import { describe, expect, it } from 'vitest';
import { parseRepositoryUrl, validateBranchName, validateCommit } from './validate.js';

/** Inputs an attacker would try; every one must be refused as a URL. */
const HOSTILE_URLS = [
  '; rm -rf /',
  '$(touch /tmp/pwned)',
  '`id`',
  '--upload-pack=touch /tmp/pwned',
  '-oProxyCommand=touch /tmp/pwned',
  'ssh://-oProxyCommand=touch%20/tmp/pwned/repo',
  'git@-oProxyCommand=touch:repo',
  'ext::sh -c touch% /tmp/pwned',
  'ext::sh',
  'fd::17',
  'file:///etc',
  'file://localhost/etc/passwd',
  '/etc',
  './repo',
  '../repo',
  '~/repo',
  'C:\\repo',
  'https://example.com/repo\n--upload-pack=id',
  'https://example.com/repo\r',
  'https://example.com/repo%0a--upload-pack=id',
  'https://example.com/repo%0D',
  'https://example.com/repo%00',
  'https://user:pass@example.com/repo.git',
  'https://:token@example.com/repo.git',
  'https://example.com/$(id)/repo.git',
  'https://example.com/repo.git;id',
  'https://example.com/`id`.git',
  'https://example.com/repo.git?x=1',
  'https://example.com/../../etc',
  'https://exa mple.com/repo',
  'https://-example.com/repo',
  'https://exa_mple.com/repo',
  'https://example.com:0/repo',
  'https://example.com:65536/repo',
  'https://example.com:99999999/repo',
  'https://example.com',
  'https://example.com/',
  'https://999.1.1.1/repo',
  'https://[::g]/repo',
  'http://example.com/repo.git',
  'git://example.com/repo.git',
  'ftp://example.com/repo.git',
  'https://exämple.com/repo',
  `https://example.com/${'a'.repeat(2048)}`,
  '',
];

describe('parseRepositoryUrl', () => {
  it.each([
    ['https://github.com/owner/repo.git', 'github.com', 'https'],
    ['https://GitLab.example.com:8443/group/sub/repo', 'gitlab.example.com', 'https'],
    ['https://x-access-token@github.com/owner/repo.git', 'github.com', 'https'],
    ['https://dev.azure.com/org/My%20Project/_git/repo', 'dev.azure.com', 'https'],
    ['https://10.0.0.5/repo.git', '10.0.0.5', 'https'],
    ['https://[2001:db8::1]:3000/repo.git', '[2001:db8::1]', 'https'],
    ['ssh://git@github.com/owner/repo.git', 'github.com', 'ssh'],
    ['ssh://git@host.example:2222/~user/repo.git', 'host.example', 'ssh'],
    ['ssh://host.example/srv/repo.git', 'host.example', 'ssh'],
    ['git@github.com:owner/repo.git', 'github.com', 'ssh'],
    ['git@gitee.com:owner/repo-name.git', 'gitee.com', 'ssh'],
    ['deploy@10.1.2.3:/srv/git/repo.git', '10.1.2.3', 'ssh'],
  ] as const)('accepts %s', (url, host, transport) => {
    expect(parseRepositoryUrl(url)).toEqual({ ok: true, url, host, transport });
  });

  it('accepts http:// only when insecure http is allowed', () => {
    expect(parseRepositoryUrl('http://127.0.0.1:8080/repo.git').ok).toBe(false);
    expect(parseRepositoryUrl('http://127.0.0.1:8080/repo.git', { allowInsecureHttp: true })).toMatchObject({
      ok: true,
      transport: 'http',
    });
  });

  it.each(HOSTILE_URLS)('refuses %j', (url) => {
    const result = parseRepositoryUrl(url);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).not.toBe('');
  });

  it('tells the user to use a token instead of a password in the URL', () => {
    expect(parseRepositoryUrl('https://me:secret@github.com/o/r.git')).toEqual({
      ok: false,
      message: expect.stringContaining('token'),
    });
  });
});

const HOSTILE_BRANCHES = [
  '',
  '-b',
  '--upload-pack=touch /tmp/pwned',
  'main\n--upload-pack=id',
  'main\r',
  'main\0',
  'ma in',
  'main\t',
  'a..b',
  'a@{1}',
  '@',
  'a\\b',
  'a~1',
  'a^',
  'a:b',
  'a?',
  'a*',
  'a[b',
  'a.lock',
  'a/b.lock/c',
  'a/',
  '/a',
  'a//b',
  'a.',
  '.a',
  'a/.b',
  'HEAD',
  '$(touch /tmp/pwned) x',
  'main\u202e',
  'main\u200b',
  'x'.repeat(256),
];

describe('validateBranchName', () => {
  it.each([
    'main',
    'feature/login-form',
    'release-1.2.3',
    'a$(id)b',
    '`id`',
    ';id',
    'a|b&c',
    '+force',
    "it's",
    'über/straße',
    '功能/分支',
    'x'.repeat(255),
  ])('accepts %j (valid for git, passed inertly)', (name) => {
    expect(validateBranchName(name)).toBeUndefined();
  });

  it.each(HOSTILE_BRANCHES)('refuses %j', (name) => {
    expect(validateBranchName(name)).toEqual(expect.any(String));
  });
});

describe('validateCommit', () => {
  it('accepts full SHA-1 and SHA-256 ids only', () => {
    expect(validateCommit('a'.repeat(40))).toBeUndefined();
    expect(validateCommit('0123456789abcdef'.repeat(4))).toBeUndefined();
    for (const bad of ['a'.repeat(39), 'A'.repeat(40), `${'a'.repeat(40)}\n`, 'HEAD', '--all', 'a'.repeat(41), 'main']) {
      expect(validateCommit(bad)).toEqual(expect.any(String));
    }
  });
});
