import { mkdir, readdir, rm } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { GitError } from './errors.js';
import { checkAuth, type GitAuth, type GitSession, openSession, type RunOptions, runGit } from './run.js';
import { parseRepositoryUrl, type RepositoryTransport, validateBranchName, validateCommit } from './validate.js';

export interface GitCallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  /** Accept http:// URLs: tests and local development only. */
  allowInsecureHttp?: boolean;
}

export interface FetchSourceOptions extends GitCallOptions {
  url: string;
  /** The exact commit to check out; with `branch` too, the branch is the fallback route when the server
   * refuses fetching a commit by id. */
  commit?: string;
  branch?: string;
  /** Absolute path of an empty or missing directory; the work tree is checked out there (detached HEAD). */
  dir: string;
  /**
   * `dir` may hold an earlier checkout (a builder's cache of the app's repository): it is brought to the commit in
   * place, fetching only what it lacks and rewriting only the files that differ; when it cannot be, it is emptied
   * and fetched afresh.
   */
  reuse?: boolean;
  auth: GitAuth;
}

export interface FetchedSource {
  commit: string;
  subject: string;
  author: string;
}

const DEEPEN_STEPS = ['--depth=50', '--deepen=500', '--unshallow'];

function invalid(message: string): GitError {
  return new GitError('invalid-input', message);
}

/** Validates everything a user supplied; throws GitError('invalid-input') before anything is spawned. */
function checkInputs(url: string, auth: GitAuth, allowInsecureHttp?: boolean): { transport: RepositoryTransport } {
  const parsed = parseRepositoryUrl(url, { allowInsecureHttp });
  if (!parsed.ok) throw invalid(parsed.message);
  const authProblem = checkAuth(auth, parsed.transport);
  if (authProblem) throw invalid(authProblem);
  return { transport: parsed.transport };
}

/** One deadline and one cancellation for a whole sequence of git commands. */
async function withSession<T>(
  url: string,
  transport: RepositoryTransport,
  opts: GitCallOptions & { auth: GitAuth },
  body: (session: GitSession, run: Omit<RunOptions, 'cwd'>) => Promise<T>,
): Promise<T> {
  const session = await openSession({ url, transport, auth: opts.auth });
  const controller = new AbortController();
  const onCancel = () => controller.abort(new GitError('cancelled', 'the git operation was cancelled'));
  if (opts.signal?.aborted) onCancel();
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(
    () => controller.abort(new GitError('timeout', `the git operation timed out after ${opts.timeoutMs} ms`)),
    opts.timeoutMs,
  );
  try {
    return await body(session, { signal: controller.signal, onLog: opts.onLog });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
    await session.close();
  }
}

/** The commit a branch points at on the remote (`git ls-remote`), without cloning anything. */
export async function resolveRef(url: string, ref: { branch: string }, auth: GitAuth, opts: GitCallOptions): Promise<string> {
  const { transport } = checkInputs(url, auth, opts.allowInsecureHttp);
  const branchProblem = validateBranchName(ref.branch);
  if (branchProblem) throw invalid(branchProblem);
  const wanted = `refs/heads/${ref.branch}`;
  const out = await withSession(url, transport, { ...opts, auth }, (session, run) =>
    runGit(session, ['ls-remote', '--heads', '--', url, wanted], { ...run, cwd: session.dir, wanted: 'branch' }),
  );
  for (const line of out.split('\n')) {
    const [sha, name] = line.split('\t');
    if (name === wanted && sha && !validateCommit(sha)) return sha;
  }
  throw new GitError('ref-not-found', `the branch ${JSON.stringify(ref.branch)} does not exist`);
}

/**
 * Fetches one commit of a user's repository into `dir` (shallow, no tags, no submodules, no hooks) and checks it
 * out detached. With `commit`, HEAD is verified to be exactly that commit; with only `branch`, the branch's
 * current commit is fetched and reported.
 */
export async function fetchSource(opts: FetchSourceOptions): Promise<FetchedSource> {
  const { url, commit, branch, dir, auth } = opts;
  const { transport } = checkInputs(url, auth, opts.allowInsecureHttp);
  if (commit === undefined && branch === undefined) throw invalid('a commit or a branch is required');
  const commitProblem = commit === undefined ? undefined : validateCommit(commit);
  if (commitProblem) throw invalid(commitProblem);
  const branchProblem = branch === undefined ? undefined : validateBranchName(branch);
  if (branchProblem) throw invalid(branchProblem);
  if (!isAbsolute(dir)) throw invalid('the checkout directory must be an absolute path');
  const existing: string[] = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const cached = opts.reuse === true && existing.includes('.git');
  if (existing.length > 0 && !cached) {
    if (!opts.reuse) throw invalid('the checkout directory is not empty');
    await rm(dir, { recursive: true, force: true });
  }

  return withSession(url, transport, { ...opts, auth }, async (session, run) => {
    if (cached) {
      try {
        return await checkoutCommit(session, run, opts, { fresh: false });
      } catch (err) {
        // a repository left broken (a builder killed mid-command leaves lock files) is fetched again from nothing;
        // what the remote said (auth, not found, network) would be the same the second time
        if (!(err instanceof GitError) || err.kind !== 'failed') throw err;
        opts.onLog?.(`the cached checkout could not be updated (${err.message}): fetching afresh`);
        await rm(dir, { recursive: true, force: true });
      }
    }
    return checkoutCommit(session, run, opts, { fresh: true });
  });
}

/** Fetches the commit (or the branch head) into `opts.dir`, initialised first when `fresh`, and checks it out. */
async function checkoutCommit(
  session: GitSession,
  run: Omit<RunOptions, 'cwd'>,
  opts: FetchSourceOptions,
  { fresh }: { fresh: boolean },
): Promise<FetchedSource> {
  const { url, commit, branch, dir } = opts;
  const git = (args: string[], wanted?: 'branch' | 'commit') => runGit(session, args, { ...run, cwd: dir, wanted });
  if (fresh) {
    await mkdir(dir, { recursive: true });
    const format = commit?.length === 64 ? ['--object-format=sha256'] : [];
    await runGit(session, ['init', '-q', ...format, '--', dir], { ...run, cwd: session.dir });
  }
  // the branch lands in a remote-tracking ref; the refspec is safe because a valid branch name has no ':'
  const branchRefspec = branch === undefined ? undefined : `+refs/heads/${branch}:refs/remotes/origin/${branch}`;
  const fetch = (depth: string, what: string, wanted: 'branch' | 'commit') =>
    git(['fetch', '-q', '--no-tags', '--no-write-fetch-head', depth, '--', url, what], wanted);

  /** Fetches what is asked for; resolves to what to check out. */
  const fetchTarget = async (): Promise<string> => {
    if (commit === undefined) {
      await fetch('--depth=1', branchRefspec as string, 'branch');
      return `refs/remotes/origin/${branch}`;
    }
    try {
      await fetch('--depth=1', commit, 'commit');
    } catch (err) {
      if (!(err instanceof GitError) || err.kind !== 'commit-not-found' || branchRefspec === undefined) throw err;
      opts.onLog?.('the server does not serve commits by id: fetching the branch history instead');
      await fetchUntilFound(commit, (step) => fetch(step, branchRefspec, 'branch'), git);
    }
    return commit;
  };
  // side by side with the fetch: a cached tree is cleared of stray files (what `clean` keeps is the index's, which
  // the fetch does not touch); the checkout below then brings the tracked files to the commit
  const [target] = await allDone([fetchTarget(), fresh ? undefined : git(['clean', '-q', '-ffdx'])]);
  // -f: a cached tree is brought to the commit whatever state it was left in; files that do not change keep
  // their times, so the engine's copy of the context is not sent again. Side by side, one process reads what the
  // commit is — its id (checked against what was asked for), subject and author — from the objects alone.
  const [, shown] = await allDone([
    git(['checkout', '-q', '-f', '--detach', target, '--']),
    git(['log', '-1', '--format=%H%x00%s%x00%an <%ae>', target, '--']),
  ]);
  const [head = '', subject = '', author = ''] = shown.replace(/\n$/, '').split('\0');
  if (validateCommit(head) || (commit !== undefined && head !== commit)) {
    throw new GitError('failed', `checked out ${head} instead of ${commit ?? 'the branch head'}`);
  }
  return { commit: head, subject, author };
}

/**
 * `Promise.all` that waits for every git process to end before a failure goes up: the caller may then remove the
 * directory they work in.
 */
async function allDone<T extends readonly unknown[]>(work: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(work);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

async function fetchUntilFound(
  commit: string,
  fetchBranch: (depth: string) => Promise<string>,
  git: (args: string[]) => Promise<string>,
): Promise<void> {
  for (const step of DEEPEN_STEPS) {
    if (step === '--unshallow' && (await git(['rev-parse', '--is-shallow-repository'])).trim() !== 'true') break;
    await fetchBranch(step);
    const found = await git(['cat-file', '-e', `${commit}^{commit}`]).then(
      () => true,
      (err: unknown) => {
        if (err instanceof GitError && (err.kind === 'failed' || err.kind === 'commit-not-found')) return false;
        throw err;
      },
    );
    if (found) return;
  }
  throw new GitError('commit-not-found', `the commit ${commit} is not on the given branch`);
}
