import type { FieldError, RouteOutput, stackRoutes } from '@wharf/contracts';

/** A problem in a compose file at its line and column (1-based), as `stack.validate` reports it. */
export type StackIssue = RouteOutput<typeof stackRoutes.validate>['errors'][number];

/** What the editor marks: a range of the text with its severity and message. */
export interface IssueMark {
  from: number;
  to: number;
  severity: StackIssue['severity'];
  message: string;
}

/** Characters that end a YAML token: blanks, the key separator and flow punctuation. */
const TOKEN_END = /[\s:,[\]{}#]/;

/**
 * The range an issue at `line`:`column` marks in `text`: the token that starts there (a key, a scalar, a quoted
 * string), else the rest of the line, else the whole line. Positions past the end are pulled back into the text.
 */
export function issueRange(text: string, line: number, column: number): { from: number; to: number } {
  const lines = text.split('\n');
  const lineIndex = Math.min(Math.max(line, 1), lines.length) - 1;
  let start = 0;
  for (let i = 0; i < lineIndex; i += 1) start += (lines[i] ?? '').length + 1;
  const content = (lines[lineIndex] ?? '').replace(/\r$/, '');
  const col = Math.min(Math.max(column, 1), content.length + 1) - 1;
  const rest = content.slice(col);

  let length = 0;
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const close = rest.indexOf(quote, 1);
    length = close === -1 ? rest.length : close + 1;
  } else {
    while (length < rest.length && !TOKEN_END.test(rest[length] ?? '')) length += 1;
  }
  if (length > 0) return { from: start + col, to: start + col + length };
  if (rest.trim() !== '') return { from: start + col, to: start + content.length };
  // Nothing at the column (the end of the line): the line's text, or its start when it is blank.
  const indent = content.length - content.trimStart().length;
  return { from: start + indent, to: start + content.length };
}

/** The marks of `issues` in `text`, errors before warnings at the same place. */
export function issueMarks(text: string, issues: readonly StackIssue[]): IssueMark[] {
  return sortIssues(issues).map((issue) => ({
    ...issueRange(text, issue.line, issue.column),
    severity: issue.severity,
    message: issue.rule ? `${issue.message} [${issue.rule}]` : issue.message,
  }));
}

/** By line, then column, errors first. */
export function sortIssues(issues: readonly StackIssue[]): StackIssue[] {
  const rank = (i: StackIssue) => (i.severity === 'error' ? 0 : 1);
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column || rank(a) - rank(b));
}

/**
 * The compose-file problems of a refused request (`errors[]` items that carry a line), as issues. The API names
 * them `yaml.<path>`; the prefix is dropped.
 */
export function issuesFromFieldErrors(errors: readonly FieldError[]): StackIssue[] {
  return errors.flatMap((e) =>
    typeof e.line === 'number'
      ? [
          {
            severity: 'error' as const,
            code: e.code,
            path: e.path.replace(/^(yaml|body\.compose|body\.yaml)\.?/, ''),
            message: e.message,
            line: e.line,
            column: e.column ?? 1,
            ...(e.rule ? { rule: e.rule } : {}),
          },
        ]
      : [],
  );
}

/** Whether a field error is one of the compose file's (shown in the editor, not in the alert). */
export function isFileError(error: FieldError): boolean {
  return typeof error.line === 'number';
}
