import { describe, expect, it } from 'vitest';
import { ApiError, formatProblem } from './errors.js';

describe('formatProblem', () => {
  it("prints the problem's detail and each field error with its place", () => {
    const text = formatProblem(
      422,
      {
        type: 'https://wharf.dev/problems/validation',
        title: 'Validation failed',
        detail: 'The request is not valid.',
        errors: [
          { path: 'params.key', message: 'uppercase letters, digits and _' },
          { path: 'body.compose', message: 'unknown key "imgae"', line: 3, column: 5 },
        ],
      },
      'setting x',
    );
    expect(text).toBe(
      [
        'setting x: The request is not valid.',
        '  params.key: uppercase letters, digits and _',
        '  body.compose: unknown key "imgae" (line 3, column 5)',
      ].join('\n'),
    );
  });

  it('falls back to the title, then the status; points at login on 401', () => {
    expect(formatProblem(409, { title: 'Conflict' }, 'deploying')).toBe('deploying: Conflict');
    expect(formatProblem(502, undefined, 'listing the apps')).toBe('listing the apps: the API answered 502');
    const err = new ApiError(401, { detail: 'Unknown API token.' }, 'checking the token');
    expect(err.message).toMatch(/^checking the token: Unknown API token\.\n.*wharf login/);
    expect(err.exitCode).toBe(1);
  });
});
