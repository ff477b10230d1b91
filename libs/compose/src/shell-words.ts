/*
 * POSIX-shell-style word splitting, as compose applies it to a `command:` (or a health check test) given as one
 * string, for the compiler and the form alike:
 * blanks separate words, single quotes are literal, double quotes allow `\\ \" \$ \`` escapes, a backslash outside
 * quotes escapes the next character. No expansion, no comments.
 */

export type SplitResult = { ok: true; words: string[] } | { ok: false; message: string };

const BLANK = new Set([' ', '\t', '\n', '\r']);
const DOUBLE_QUOTE_ESCAPES = new Set(['\\', '"', '$', '`', '\n']);

export function shellSplit(input: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (BLANK.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    const wasInWord: boolean = inWord;
    inWord = true;
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: 'unterminated single quote' };
      word += input.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      let closed = false;
      while (i < input.length) {
        const d = input.charAt(i);
        if (d === '"') {
          closed = true;
          i += 1;
          break;
        }
        const next = input.charAt(i + 1);
        if (d === '\\' && DOUBLE_QUOTE_ESCAPES.has(next)) {
          if (next !== '\n') word += next;
          i += 2;
        } else {
          word += d;
          i += 1;
        }
      }
      if (!closed) return { ok: false, message: 'unterminated double quote' };
    } else if (c === '\\') {
      if (i + 1 >= input.length) return { ok: false, message: 'nothing to escape after the final backslash' };
      const next = input.charAt(i + 1);
      if (next === '\n') {
        // a line continuation joins the lines; on its own it does not start a word
        inWord = wasInWord;
      } else word += next;
      i += 2;
    } else {
      word += c;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one word so that `shellSplit` reads it back unchanged. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** The inverse of `shellSplit`: `shellSplit(shellJoin(words))` gives `words` back. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
