import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote, shellSplit } from './shell-words.js';

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

describe('shellSplit as compose applies it', () => {
  const words = (s: string) => {
    const r = shellSplit(s);
    return r.ok ? r.words : r.message;
  };

  it('splits like shlex.split', () => {
    expect(words('  npm   run start ')).toEqual(['npm', 'run', 'start']);
    expect(words(`echo 'single $HOME "x"' "double \\"q\\" \\\\ \\n"`)).toEqual(['echo', 'single $HOME "x"', 'double "q" \\ \\n']);
    expect(words('a\\ b c\\"d')).toEqual(['a b', 'c"d']);
    expect(words(`--opt="a b"'c d'e`)).toEqual(['--opt=a bc de']);
    expect(words(`'' ""`)).toEqual(['', '']);
    expect(words('a # not a comment')).toEqual(['a', '#', 'not', 'a', 'comment']);
    expect(words('line1\nline2\tx')).toEqual(['line1', 'line2', 'x']);
    expect(words('')).toEqual([]);
  });

  it('expands nothing', () => {
    expect(words('echo $PATH `id` $(id) ~ *')).toEqual(['echo', '$PATH', '`id`', '$(id)', '~', '*']);
  });

  it('refuses unclosed quotes and a trailing backslash', () => {
    expect(words(`echo 'x`)).toBe('unterminated single quote');
    expect(words('echo "x')).toBe('unterminated double quote');
    expect(words('echo x\\')).toBe('nothing to escape after the final backslash');
  });
});
