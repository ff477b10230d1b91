/** What the API answers on failure (RFC 9457), as far as the CLI reads it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  errors?: { path: string; message: string; line?: number; column?: number }[];
}

/** A failure the user can act on: printed without a stack trace, exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong arguments: exit code 2, with a pointer to `--help`. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The API refused a request: the problem's detail and each field error. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    what: string,
  ) {
    super(formatProblem(status, problem, what));
    this.name = 'ApiError';
  }
}

export function formatProblem(status: number, problem: Problem | undefined, what: string): string {
  const head = problem?.detail ?? problem?.title ?? `the API answered ${status}`;
  const lines = [`${what}: ${head}`];
  for (const e of problem?.errors ?? []) {
    const at = e.line !== undefined ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})` : '';
    lines.push(`  ${e.path}: ${e.message}${at}`);
  }
  if (status === 401) lines.push('  (run `wharf login` again with a valid API token)');
  return lines.join('\n');
}
