import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote, shellSplit } from './shlex.js';

describe('shellSplit', () => {
  it.each([
    ['npm start', ['npm', 'start']],
    ['  a\t b\n c  ', ['a', 'b', 'c']],
    [`nginx -g 'daemon off;'`, ['nginx', '-g', 'daemon off;']],
    [`sh -c "echo \\"hi\\" \\$HOME \\\\ \\n"`, ['sh', '-c', 'echo "hi" $HOME \\ \\n']],
    [`a\\ b c\\'d`, ['a b', "c'd"]],
    [`'' ""`, ['', '']],
    [`pre'mid'"post"`, ['premidpost']],
    ['a\\\nb', ['ab']],
    ['', []],
  ])('%j', (input, words) => {
    expect(shellSplit(input)).toEqual({ ok: true, words });
  });

  it.each([`echo 'oops`, `echo "oops`, 'trailing\\'])('refuses %j', (input) => {
    expect(shellSplit(input).ok).toBe(false);
  });
});

describe('shellJoin', () => {
  it('quotes only what needs quoting', () => {
    expect(shellJoin(['npm', 'run', 'start', '--port=80', 'a b', "it's", ''])).toBe(
      `npm run start --port=80 'a b' 'it'"'"'s' ''`,
    );
    expect(shellQuote('/usr/bin/env')).toBe('/usr/bin/env');
  });

  it('is read back word for word', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 6 }), (words) => {
        expect(shellSplit(shellJoin(words))).toEqual({ ok: true, words });
      }),
      { numRuns: 200 },
    );
  });
});
