/*
 * Splits a command line into words the way Python's `shlex.split` does (POSIX mode): whitespace separates words,
 * single quotes keep everything literally, double quotes let a backslash escape `"` and `\` only, a backslash
 * outside quotes escapes any character, and adjacent parts join (`a"b c"` is one word). Nothing is expanded: the
 * words become an argument vector, never a shell string.
 */

export type ShellWords = { ok: true; words: string[] } | { ok: false; error: string };

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

export function splitShellWords(text: string): ShellWords {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (WHITESPACE.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: "no closing quotation (')" };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return { ok: false, error: 'no closing quotation (")' };
        const d = text[j] as string;
        if (d === '"') break;
        if (d === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) {
          word += text[j + 1];
          j += 2;
        } else {
          word += d;
          j++;
        }
      }
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, error: 'no escaped character after the final backslash' };
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}
