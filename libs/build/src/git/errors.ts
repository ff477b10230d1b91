/** What went wrong while talking to a user's git repository; `message` is safe to show the user (secrets masked). */
export type GitErrorKind =
  | 'invalid-input' // a URL, branch, commit or key we refuse before running anything
  | 'auth' // credentials missing, wrong, or not authorised for the repository
  | 'host-key' // the SSH host key does not match the known_hosts we were given
  | 'repository-not-found'
  | 'ref-not-found' // the branch does not exist on the remote
  | 'commit-not-found' // the commit is not reachable from what the remote would give us
  | 'network' // host unreachable, DNS, TLS
  | 'timeout'
  | 'cancelled'
  | 'failed'; // anything else git reported

export class GitError extends Error {
  override readonly name = 'GitError';

  constructor(
    readonly kind: GitErrorKind,
    message: string,
    /** The tail of git's stderr, secrets masked; for logs, not for matching. */
    readonly detail?: string,
  ) {
    super(message);
  }
}
