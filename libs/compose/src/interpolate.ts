import type { Report } from './report.js';
import { childPath, isMap, isSeq, type YValue } from './tree.js';
import { quote } from './values.js';

/*
 * Compose variable interpolation in string values (never in keys): `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alternative}`, `${VAR+alternative}`, nested
 * (`${A:-${B}}`), and `$$` for a literal `$`. A `$` followed by anything else stays as it is. Only the branch that
 * is used is evaluated: `${A:-${B}}` with A set says nothing about B.
 */

export interface Interpolated {
  value: string;
  /** Variables used without a value or a default (each substituted by the empty string). */
  missing: string[];
  /** `:?`/`?` failures and malformed references; the value is unusable when there is one. */
  errors: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Interpolates one string. */
export function interpolateString(text: string, variables: Readonly<Record<string, string>>): Interpolated {
  if (!text.includes('$')) return { value: text, missing: [], errors: [] };
  const state: Interpolated = { value: '', missing: [], errors: [] };
  const parser = new Parser(text, variables);
  parser.run(0, false, state);
  if (parser.fatal) return { value: '', missing: [], errors: [parser.fatal] };
  return state;
}

/** Defaults nested deeper than this are refused (`${A:-${B:-…}}`). */
const MAX_NESTING = 16;

class Parser {
  /** Set when the text cannot be read at all (nested too deep). */
  fatal: string | undefined;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly vars: Readonly<Record<string, string>>,
  ) {}

  /** Reads from `i` up to the end (or, inside a `${…}`, up to its closing brace); returns where it stopped. */
  run(start: number, nested: boolean, out: Interpolated): number {
    const t = this.text;
    let i = start;
    while (i < t.length) {
      const c = t[i];
      if (c === '}' && nested) return i;
      if (c !== '$') {
        out.value += c;
        i++;
        continue;
      }
      const next = t[i + 1];
      if (next === '$') {
        out.value += '$';
        i += 2;
      } else if (next === '{') {
        if (this.depth >= MAX_NESTING) {
          this.fatal = `interpolation nested more than ${MAX_NESTING} levels deep in ${quote(this.text)}`;
          return t.length;
        }
        i = this.braced(i, out);
        if (i < 0) return t.length;
      } else if (next !== undefined && NAME_START.test(next)) {
        let j = i + 1;
        while (j < t.length && NAME_CHAR.test(t[j] ?? '')) j++;
        this.substitute(t.slice(i + 1, j), out);
        i = j;
      } else {
        out.value += '$';
        i++;
      }
    }
    return i;
  }

  /** `${…}` starting at `at` (the `$`); returns the index after its closing brace, or -1 when malformed. */
  private braced(at: number, out: Interpolated): number {
    const t = this.text;
    let j = at + 2;
    if (!NAME_START.test(t[j] ?? '')) return this.invalid(out);
    while (j < t.length && NAME_CHAR.test(t[j] ?? '')) j++;
    const name = t.slice(at + 2, j);
    if (t[j] === '}') {
      this.substitute(name, out);
      return j + 1;
    }
    const colon = t[j] === ':';
    const op = t[colon ? j + 1 : j];
    if (op !== '-' && op !== '?' && op !== '+') return this.invalid(out);
    const wordStart = j + (colon ? 2 : 1);
    const word: Interpolated = { value: '', missing: [], errors: [] };
    this.depth++;
    const close = this.run(wordStart, true, word);
    this.depth--;
    if (this.fatal) return -1;
    if (t[close] !== '}') return this.invalid(out);
    const set = Object.hasOwn(this.vars, name);
    const value = set ? (this.vars[name] ?? '') : '';
    const present = colon ? value !== '' : set;
    const useWord = () => {
      out.value += word.value;
      out.missing.push(...word.missing);
      out.errors.push(...word.errors);
    };
    if (op === '-') {
      if (present) out.value += value;
      else useWord();
    } else if (op === '+') {
      if (present) useWord();
    } else if (present) {
      out.value += value;
    } else {
      const why = word.value !== '' ? word.value : colon ? 'it is unset or empty' : 'it is unset';
      out.errors.push(`required variable ${name} is missing a value: ${why}`);
    }
    return close + 1;
  }

  private substitute(name: string, out: Interpolated): void {
    if (Object.hasOwn(this.vars, name)) out.value += this.vars[name] ?? '';
    else out.missing.push(name);
  }

  private invalid(out: Interpolated): number {
    out.errors.push(`invalid interpolation format in ${quote(this.text)}: a "\${" needs a name and a closing "}"`);
    return -1;
  }
}

/**
 * Interpolates every string value of the document in place. A variable without value or default becomes the empty
 * string with one warning per variable (as compose does); a `:?` failure is an error at the value.
 */
export function interpolateDocument(root: YValue, variables: Readonly<Record<string, string>>, report: Report): void {
  const warned = new Set<string>();
  const visit = (value: YValue, path: string): YValue => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      const r = interpolateString(value, variables);
      for (const e of r.errors) report.error('interpolation', path, `${path}: ${e}`);
      for (const name of r.missing) {
        if (warned.has(name)) continue;
        warned.add(name);
        report.warn('interpolation', path, `${path}: variable ${name} is not set; substituting an empty string`);
      }
      return r.value;
    }
    if (isSeq(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i] ?? null, childPath(path, i));
    } else if (isMap(value)) {
      for (const [k, v] of value) value.set(k, visit(v, childPath(path, k)));
    }
    return value;
  };
  visit(root, '');
}
