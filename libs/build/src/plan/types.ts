/*
 * A build plan: what Wharf will build for a repository and how. Either the repository's own Dockerfile, or one that
 * Wharf writes from the detected program type (the user sees it and may override it with their own text).
 */

export const PROGRAM_TYPES = ['dockerfile', 'node', 'python', 'go', 'java', 'static'] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];
/** The program types Wharf writes a Dockerfile for. */
export type GeneratedProgramType = Exclude<ProgramType, 'dockerfile'>;

export interface BuildSettings {
  /** `auto`: the Dockerfile at `dockerfilePath` when there is one, else the detected program type. */
  programType: ProgramType | 'auto';
  /** Relative to the repository root. Default `Dockerfile`. */
  dockerfilePath: string;
  /** The build context, relative to the repository root. Default `.`. Detection looks here. */
  context: string;
  /** A stage of a multi-stage Dockerfile to stop at. */
  target?: string;
  buildArgs: Record<string, string>;
  /** The user's own text in place of the generated Dockerfile, used as it is. Ignored when the repository's
   *  Dockerfile is used. */
  dockerfile?: string;
}

export const DEFAULT_BUILD_SETTINGS: BuildSettings = {
  programType: 'auto',
  dockerfilePath: 'Dockerfile',
  context: '.',
  buildArgs: {},
};

/** Full image references of the base images generated Dockerfiles start from. */
export interface BaseImages {
  node: string;
  python: string;
  go: string;
  java: string;
  /** Busybox with httpd; also the runtime stage of Go programs. */
  static: string;
}

/**
 * The bases `scripts/lib/build-images.sh` (ensure_build_base_images) makes from this machine's own binaries and
 * pushes to the local registry. Go and Java bases are NOT provided locally: their references are where such images
 * would be (a Go toolchain image; a JDK image with `java`, and `mvn` or `gradle` unless the project has a wrapper).
 */
export const LOCAL_BASE_IMAGES: BaseImages = {
  node: '127.0.0.1:5000/wharf/base/node:20',
  python: '127.0.0.1:5000/wharf/base/python:3',
  go: '127.0.0.1:5000/wharf/base/go:1.22',
  java: '127.0.0.1:5000/wharf/base/java:17',
  static: '127.0.0.1:5000/wharf/base/static:1',
};

/** Where the Dockerfile text came from. */
export type DockerfileSource = 'repository' | 'generated' | 'override';

export interface BuildPlan {
  /** `dockerfile` for the repository's own; otherwise the detected (or chosen) program type. */
  programType: ProgramType;
  /** True when Wharf wrote the Dockerfile. */
  generated: boolean;
  source: DockerfileSource;
  /** The Dockerfile text that will be built. */
  dockerfile: string;
  /**
   * Path of the Dockerfile relative to the context directory (POSIX separators). The builder puts `dockerfile` into
   * the context archive at this path, replacing whatever is there: for the repository's own Dockerfile inside the
   * context that is the same file; otherwise it is a name no file of the context has.
   */
  dockerfilePath: string;
  /** The context directory relative to the repository root, normalised (`.` for the root). */
  context: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** The port the image listens on: 8080 (via the PORT variable) for generated images, else the last literal
   *  `EXPOSE` of the final stage, if any. */
  port?: number;
  /** A sentence for the user: why this plan, e.g. `package.json found: Node.js (npm start)`. */
  reason: string;
}

export type BuildPlanField = 'programType' | 'dockerfilePath' | 'context' | 'target' | 'buildArgs' | 'dockerfile' | 'repository';

/** A plan that cannot be made: bad settings, or a repository Wharf does not know how to build. */
export class BuildPlanError extends Error {
  constructor(
    readonly field: BuildPlanField,
    message: string,
  ) {
    super(message);
    this.name = 'BuildPlanError';
  }
}

/** The port generated images listen on (they also get it as the PORT variable). */
export const GENERATED_PORT = 8080;
