import { isIPv4, isIPv6 } from 'node:net';

// Repository URLs and branch names come from users and end up as git arguments. Everything here is an allow-list:
// git never runs through a shell, but refusing early keeps option injection (`--upload-pack=…`, `-oProxyCommand`),
// other transports (`ext::`, `file://`, local paths) and header/line injection (`%0a`) out of reach entirely.

export type RepositoryTransport = 'https' | 'http' | 'ssh';
export type ParsedRepositoryUrl =
  | { ok: true; url: string; host: string; transport: RepositoryTransport }
  | { ok: false; message: string };

const MAX_URL = 2048;
const MAX_BRANCH = 255;
// RFC 3986 path characters minus the ones only a shell cares about (`$ ' ( ) * ; & !` and backquote): no real
// hosting service needs them, and a URL that never carries them cannot be mistaken for a command anywhere.
const PATH = /^[A-Za-z0-9._~%+=,@:/-]*$/;
const USER = /^[A-Za-z0-9._~+-]+$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// `%00`–`%1f` and `%7f`: an encoded newline or NUL is as hostile as a raw one
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;

const refuse = (message: string): ParsedRepositoryUrl => ({ ok: false, message });

function validHost(host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) return isIPv6(host.slice(1, -1));
  if (/^[0-9.]+$/.test(host)) return isIPv4(host);
  return host.length <= 253 && host.split('.').every((label) => LABEL.test(label));
}

function checkPath(path: string): string | undefined {
  if (!PATH.test(path)) return 'the repository path may contain only letters, digits and . _ ~ % + = , @ : / -';
  if (/(?:^|\/)\.\.(?:\/|$)/.test(path)) return 'the repository path must not contain ".."';
  return undefined;
}

/**
 * Checks a repository URL a user typed: `https://host[:port]/path`, `ssh://[user@]host[:port]/path` or scp-like
 * `user@host:path` (`http://` only with `allowInsecureHttp`, for tests and local development). Returns the URL
 * unchanged when accepted: nothing is normalised, so what git receives is exactly what was checked.
 */
export function parseRepositoryUrl(url: string, opts: { allowInsecureHttp?: boolean } = {}): ParsedRepositoryUrl {
  if (typeof url !== 'string' || url.length === 0) return refuse('the repository URL is empty');
  if (url.length > MAX_URL) return refuse(`the repository URL is longer than ${MAX_URL} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return refuse('the repository URL must not contain spaces or control characters');
  if (!/^[\x21-\x7e]+$/.test(url)) return refuse('the repository URL must be plain ASCII (use punycode for the host)');
  if (url.startsWith('-')) return refuse('the repository URL must not start with "-"');
  if (ENCODED_CONTROL.test(url)) return refuse('the repository URL must not contain encoded control characters');
  if (/^[A-Za-z0-9+.-]*::/.test(url)) return refuse('git remote-helper transports ("<transport>::") are not allowed');

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return parseScpLike(url);
  if (scheme === 'http' && !opts.allowInsecureHttp) return refuse('use an https:// URL (plain http:// is not allowed)');
  if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh') {
    return refuse(`the "${scheme}://" scheme is not allowed: use https://, ssh:// or user@host:path`);
  }

  const m = /^[^:]+:\/\/(?:([^@/]*)@)?(\[[^\]/]*\]|[^:/]*)(?::([0-9]*))?(\/.*)?$/.exec(url);
  if (!m) return refuse('the repository URL is not of the form scheme://host[:port]/path');
  const [, userinfo, host = '', port, path = ''] = m;
  if (userinfo !== undefined) {
    if (userinfo.includes(':')) {
      return refuse('do not put a password or token in the URL: add it as a token credential instead');
    }
    if (!USER.test(userinfo)) return refuse('the user name in the URL may contain only letters, digits and . _ ~ + -');
  }
  if (!validHost(host)) return refuse(`"${host}" is not a valid host name or IP address`);
  if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    return refuse('the port must be a number from 1 to 65535');
  }
  if (path.length <= 1) return refuse('the repository URL has no path (expected e.g. /owner/repo.git)');
  const bad = checkPath(path);
  if (bad) return refuse(bad);
  return { ok: true, url, host: host.toLowerCase(), transport: scheme };
}

function parseScpLike(url: string): ParsedRepositoryUrl {
  const m = /^([^@/:]+)@(\[[^\]/]*\]|[^:/[\]]+):(.+)$/.exec(url);
  if (!m) {
    if (url.startsWith('/') || url.startsWith('.') || url.startsWith('~') || /^[A-Za-z]:/.test(url)) {
      return refuse('local paths are not allowed: use https://, ssh:// or user@host:path');
    }
    return refuse(
      'not a repository URL: use https://host/owner/repo.git, ssh://git@host/owner/repo.git or git@host:owner/repo.git',
    );
  }
  const [, user = '', host = '', path = ''] = m;
  if (!USER.test(user) || user.startsWith('-')) return refuse('the user name may contain only letters, digits and . _ ~ + -');
  if (!validHost(host)) return refuse(`"${host}" is not a valid host name or IP address`);
  if (path.startsWith('-')) return refuse('the repository path must not start with "-"');
  const bad = checkPath(path);
  if (bad) return refuse(bad);
  return { ok: true, url, host: host.toLowerCase(), transport: 'ssh' };
}

/**
 * git-check-ref-format's rules for `refs/heads/<name>`, plus: no leading `-`, not `HEAD`, at most 255 characters,
 * printable characters only. Returns what is wrong, or undefined. Shell-looking names such as `a$(id)b` are valid
 * git branches and are accepted: they are only ever passed as single arguments, never interpreted.
 */
export function validateBranchName(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'the branch name is empty';
  if (name.length > MAX_BRANCH) return `the branch name is longer than ${MAX_BRANCH} characters`;
  // letters, marks and digits of any script, and printable ASCII; no controls, spaces or invisible format characters
  if (!/^(?:[\x21-\x7e]|[\p{L}\p{M}\p{N}])+$/u.test(name)) {
    return 'the branch name must not contain spaces, control or invisible characters';
  }
  if (/[~^:?*[\\]/.test(name)) return 'the branch name must not contain ~ ^ : ? * [ or \\';
  if (name.startsWith('-')) return 'the branch name must not start with "-"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return 'the branch name must not start or end with "/" or contain "//"';
  }
  if (name.includes('..')) return 'the branch name must not contain ".."';
  if (name.includes('@{') || name === '@') return 'the branch name must not contain "@{" or be "@"';
  if (name.endsWith('.')) return 'the branch name must not end with "."';
  if (name === 'HEAD') return 'the branch name must not be HEAD';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'no part of the branch name may start with "."';
    if (part.endsWith('.lock')) return 'no part of the branch name may end with ".lock"';
  }
  return undefined;
}

/** A full commit id: 40 hex digits (SHA-1) or 64 (SHA-256), lower case. */
export function validateCommit(commit: string): string | undefined {
  return typeof commit === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)
    ? undefined
    : 'the commit must be a full lower-case hex commit id (40 or 64 characters)';
}
