import type { SourceMap } from './tree.js';
import type { ComposeIssue, PolicyRule, SourceLocation } from './types.js';

/** The kinds of issue (`ComposeIssue.code`). `internal` means a bug in this library, never the user's input. */
export type IssueCode =
  | 'yaml'
  | 'interpolation'
  | 'unknown-key'
  | 'type'
  | 'range'
  | 'reference'
  | 'cycle'
  | 'unsupported'
  | 'ignored'
  | 'policy'
  | 'internal';

/** Collects the issues of one compilation, each located through the document's source map. */
export class Report {
  readonly errors: ComposeIssue[] = [];
  readonly warnings: ComposeIssue[] = [];
  private readonly errorPaths = new Set<string>();

  constructor(readonly map: SourceMap) {}

  error(code: IssueCode, path: string, message: string, rule?: PolicyRule): void {
    this.errorPaths.add(path);
    this.errors.push(this.issue('error', code, path, message, this.map.locate(path), rule));
  }

  warn(code: IssueCode, path: string, message: string): void {
    this.warnings.push(this.issue('warning', code, path, message, this.map.locate(path)));
  }

  /** An issue at an explicit position (YAML syntax errors, which have no path yet). */
  errorAt(code: IssueCode, line: number, column: number, message: string): void {
    this.errors.push(this.issue('error', code, '', message, { file: this.map.file, line, column }));
  }

  warnAt(code: IssueCode, line: number, column: number, message: string): void {
    this.warnings.push(this.issue('warning', code, '', message, { file: this.map.file, line, column }));
  }

  /** Whether an error was reported at this path or at one of its ancestors. */
  coveredByError(path: string): boolean {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      if (this.errorPaths.has(p)) return true;
    }
    return false;
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  private issue(
    severity: ComposeIssue['severity'],
    code: IssueCode,
    path: string,
    message: string,
    at: SourceLocation,
    rule?: PolicyRule,
  ): ComposeIssue {
    return { ...at, severity, code, path, message, ...(rule ? { rule } : {}) };
  }
}

/** `services.web.ports[0]` → `services.web.ports` → `services.web` → `services` → `` → undefined. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const m = /(?:\.[A-Za-z0-9_-]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  if (!m) return '';
  return path.slice(0, m.index);
}
