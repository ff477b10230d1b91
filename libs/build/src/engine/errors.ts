/** Why a build did not produce an image. */
export type BuildErrorKind =
  /** A step failed (a RUN exited non-zero, a COPY source is missing, the Dockerfile does not parse). */
  | 'failed'
  /** The caller aborted the signal (a cancel or the caller's timeout). */
  | 'cancelled'
  /** The engine cannot do what was asked (no BuildKit, a `# syntax=` frontend that would be pulled). */
  | 'unsupported'
  /** The engine or the connection to it failed, not the build. */
  | 'engine';

export class BuildError extends Error {
  override readonly name = 'BuildError';
  constructor(
    readonly kind: BuildErrorKind,
    message: string,
    /** The last log lines before the failure, already masked: what the user needs to see why. */
    readonly logTail: readonly string[] = [],
  ) {
    super(message);
  }
}

export type ContextErrorKind = 'symlink-escape' | 'too-large' | 'not-found' | 'dockerfile-syntax';

/** The build context cannot be packed. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
  constructor(
    readonly kind: ContextErrorKind,
    message: string,
    /** The context-relative path concerned, when there is one. */
    readonly path?: string,
  ) {
    super(message);
  }
}

export type PushErrorKind = 'denied' | 'failed' | 'cancelled';

export class PushError extends Error {
  override readonly name = 'PushError';
  constructor(
    readonly kind: PushErrorKind,
    message: string,
  ) {
    super(message);
  }
}
