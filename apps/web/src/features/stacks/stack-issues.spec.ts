import { describe, expect, it } from 'vitest';
import { issueMarks, issueRange, issuesFromFieldErrors, type StackIssue, sortIssues } from './stack-issues';

const YAML = ['services:', '  web:', '    image: "nginx:1.27"', '    prots:', '      - "8080"', ''].join('\n');

function marked(text: string, line: number, column: number): string {
  const { from, to } = issueRange(text, line, column);
  return text.slice(from, to);
}

const issue = (line: number, column: number, severity: StackIssue['severity'] = 'error'): StackIssue => ({
  severity,
  code: 'unknown-key',
  path: 'services.web.prots',
  message: `at ${line}:${column}`,
  line,
  column,
});

describe('issueRange', () => {
  it('marks the key at the position', () => {
    expect(marked(YAML, 4, 5)).toBe('prots');
    expect(marked(YAML, 2, 3)).toBe('web');
  });

  it('marks a quoted scalar whole, quotes included', () => {
    expect(marked(YAML, 3, 12)).toBe('"nginx:1.27"');
    expect(marked(YAML, 5, 9)).toBe('"8080"');
  });

  it('marks the rest of the line from punctuation, and the line when the column is past its end', () => {
    expect(marked('ports: [ "80" ]', 1, 8)).toBe('[ "80" ]');
    expect(marked(YAML, 4, 40)).toBe('prots:');
  });

  it('pulls lines and columns outside the text back into it', () => {
    expect(marked(YAML, 0, 0)).toBe('services');
    expect(issueRange(YAML, 99, 1)).toEqual({ from: YAML.length, to: YAML.length });
    expect(marked('a: 1', 7, 1)).toBe('a');
  });

  it('counts offsets across CRLF line ends', () => {
    const crlf = 'services:\r\n  web:\r\n    prots: 1\r\n';
    expect(marked(crlf, 3, 5)).toBe('prots');
  });
});

describe('issueMarks', () => {
  it('orders marks by position, errors first, and names the policy rule', () => {
    const marks = issueMarks(YAML, [
      { ...issue(5, 9, 'warning') },
      { ...issue(4, 5), rule: 'no-host-ports' },
      { ...issue(4, 5, 'warning') },
    ]);
    expect(marks.map((m) => [YAML.slice(m.from, m.to), m.severity])).toEqual([
      ['prots', 'error'],
      ['prots', 'warning'],
      ['"8080"', 'warning'],
    ]);
    expect(marks[0]?.message).toBe('at 4:5 [no-host-ports]');
  });
});

describe('sortIssues', () => {
  it('does not reorder its input', () => {
    const input = [issue(2, 1), issue(1, 1)];
    expect(sortIssues(input).map((i) => i.line)).toEqual([1, 2]);
    expect(input.map((i) => i.line)).toEqual([2, 1]);
  });
});

describe('issuesFromFieldErrors', () => {
  it('keeps the errors located in the file and drops the prefix of their path', () => {
    expect(
      issuesFromFieldErrors([
        { path: 'yaml.services.web.prots', message: 'not a compose key', code: 'unknown-key', line: 4, column: 5 },
        { path: 'body.name', message: 'taken', code: 'conflict' },
        { path: 'yaml.services.web', message: 'privileged', code: 'policy', line: 2, rule: 'no-privileged' },
      ]),
    ).toEqual([
      {
        severity: 'error',
        code: 'unknown-key',
        path: 'services.web.prots',
        message: 'not a compose key',
        line: 4,
        column: 5,
      },
      {
        severity: 'error',
        code: 'policy',
        path: 'services.web',
        message: 'privileged',
        line: 2,
        column: 1,
        rule: 'no-privileged',
      },
    ]);
  });
});
