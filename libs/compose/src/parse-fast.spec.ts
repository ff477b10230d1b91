import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseSlowly } from './parse.js';
import { parseFast } from './parse-fast.js';
import { plainValue } from './parse-scalars.js';
import { Report } from './report.js';
import { composeObject } from './testing/compose-arbitraries.js';
import { anyText } from './testing/text-arbitraries.js';
import { isMap, isSeq, SourceMap, type YValue } from './tree.js';

/*
 * parseFast is only a shortcut: whenever it gives a tree, the yaml package and the Walker must give the same tree
 * (values, Map order, the position of every entry) and report nothing. When it gives up, parseYaml takes the slow
 * path, so there is nothing to compare.
 */

/** The tree as plain data with the line:column of every entry, so that `toEqual` compares positions too. */
function dump(v: YValue, map: SourceMap): unknown {
  const at = (container: Map<string, YValue> | YValue[], key: string | number) => {
    const offset = map.get(container, key);
    if (offset === undefined) return 'nowhere';
    const p = map.toPosition(offset);
    return `${p.line}:${p.column}`;
  };
  if (isMap(v)) return [...v].map(([k, x]) => [k, at(v, k), dump(x, map)]);
  if (isSeq(v)) return v.map((x, i) => [at(v, i), dump(x, map)]);
  // -0 and NaN must survive as they are
  return typeof v === 'number' ? `number ${Object.is(v, -0) ? '-0' : String(v)}` : v;
}

/** Compares both readers on `source`; true when the fast one answered. */
function agree(source: string): boolean {
  const fastMap = new SourceMap('f.yml');
  const fast = parseFast(source, fastMap);
  if (!fast) return false;
  fastMap.toPosition = (offset) => {
    const p = fast.lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const slowMap = new SourceMap('f.yml');
  const report = new Report(slowMap);
  const ok = parseSlowly(source, slowMap, report);
  expect({ ok, errors: report.errors, warnings: report.warnings }, source).toEqual({ ok: true, errors: [], warnings: [] });
  expect(dump(fast.root, fastMap), source).toEqual(dump(slowMap.root, slowMap));
  return true;
}

/** FAST_X=20 multiplies the generated runs, for a longer search than the suite's. */
const RUNS = Number(process.env.FAST_X ?? 1);

const corpus = fileURLToPath(new URL('../corpus/', import.meta.url));

/** YAML made of the pieces a compose file is made of, glued at random: most of it valid, much of it not. */
const piece = fc.constantFrom(
  'a',
  'b',
  'x y',
  '<<',
  '"q\\"x"',
  "'s''t'",
  '"\\x"',
  '1',
  '-0',
  '0o17',
  '0x1F',
  '1e3',
  '.5',
  '-.inf',
  '.NaN',
  'null',
  '~',
  'True',
  'yes',
  ': ',
  ':',
  '- ',
  '-',
  '&a ',
  '&b ',
  '*a',
  '*b',
  '[',
  ']',
  '{',
  '}',
  ', ',
  ',',
  ' #c',
  '#',
  ' ',
  '!!str ',
  '|',
  '?',
  '\t',
);
const line = fc.tuple(fc.constantFrom('', '  ', '    ', '      ', ' '), fc.array(piece, { maxLength: 6 }));
const pieces = fc.array(line, { minLength: 1, maxLength: 8 }).map((ls) => ls.map(([i, p]) => i + p.join('')).join('\n'));

/** Valid compose-shaped YAML with anchors, aliases and merge keys, in block and flow style. */
const anchored = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom('a', 'b', 'c', '<<', '"k"', '1', 'null'),
        fc.constantFrom('x', '"y"', '2', '[1, *s]', '{m: n}', '*s', ''),
      ),
      {
        maxLength: 4,
      },
    ),
    fc.constantFrom('*m', '[*m, *n]', '*s', '*n'),
    fc.boolean(),
  )
  .map(([entries, merge, seq]) => {
    const body = entries.map(([k, v]) => `    ${k}: ${v}`);
    return [
      's: &s 1',
      'm: &m',
      '  a: 1',
      '  l:',
      '  - 2',
      'n: &n {a: 3, z: 4}',
      'top:',
      seq ? '  - p: 1' : '  p:',
      seq ? `    <<: ${merge}` : `    <<: ${merge}`,
      ...body,
    ].join('\n');
  });

/** Lines of `key: value` and `- value` at random indentations, with keys and values near the edges of the shape. */
const key = fc.constantFrom(
  'a',
  'b',
  'c',
  '"a"',
  "'b'",
  '<<',
  '1',
  '0x1',
  'null',
  '~',
  'a b',
  'a:b',
  '-a',
  'a #c',
  '"a":x',
  '? a',
  '&a k',
  '*a',
);
const value = fc.constantFrom(
  ...['x', 'x y', '"x"', "'x'", "'x''y'", '*a', '*b', '&a', '&b', '&a x', '&b [1, 2]', '[a, *a]', '{a: 1}', '{"a": *a}'],
  ...['[]', '{}', 'x #c', 'x#c', '"a\\"b"', '"\\q"', '"\\u00e9"', '- x', 'x: y', '|', '!!str x', '1.5', '.inf', '[a,]'],
  ...[
    '[a b]',
    '{a}',
    '*a x',
    '[-, a]',
    '[a: b]',
    '',
    ' #c',
    '"x" y',
    '[*a, *b]',
    'a]',
    'x, y',
    '-1',
    '--x',
    '[[1], {}]',
    `\${A:-x}`,
    'a{b}',
    'x]',
    'a[1]: b',
    'x}',
    '{a: [b, {c: d}]}',
  ],
);
const entry = fc.oneof(
  fc.tuple(key, value).map(([k, v]) => `${k}: ${v}`),
  key.map((k) => `${k}:`),
  value.map((v) => `- ${v}`),
  fc.tuple(key, value).map(([k, v]) => `- ${k}: ${v}`),
  fc.constantFrom('# note', '', '-', '- - a', '---'),
);
const lines = fc
  .tuple(
    fc.tuple(key, value),
    fc.array(fc.tuple(fc.constantFrom('', '  ', '    ', '      ', ' ', '   '), entry), { maxLength: 10 }),
  )
  .map(([[k, v], rest]) => [`${k}: ${v}`, ...rest.map(([i, e]) => i + e)].join('\n'));

const goodKey = fc.constantFrom(
  'a',
  'b',
  'c',
  'd',
  'e',
  'f',
  '"a"',
  "'g'",
  '1',
  '0x1',
  'null',
  '~',
  'a b',
  'a:b',
  '-a',
  '1.0',
  'True',
);
const goodValue = fc.constantFrom(
  ...['x', 'x y', '"x"', "'x''y'", '*a', '1.5', '.inf', '-1', '0o17', '0x1F', '~', '[a, "b"]', '{a: 1}', 'x #c', 'x#c'],
  ...[`\${A:-x}`, 'a{b}', '"\\u00e9"', '"\\t"', 'true', 'null', '[*a]', '{k: *a}', '-.5e3', '+1', '012', '1_000'],
);
/** Consistently indented block YAML (compact and indented sequences) with the same edge-case keys and scalars. */
type Tree = { map: [string, Tree][] } | { seq: Tree[] } | { text: string };
const { tree } = fc.letrec<{ tree: Tree; item: Tree; text: Tree; map: Tree }>((t) => ({
  text: fc.oneof({ weight: 60, arbitrary: goodValue }, value).map((text) => ({ text })),
  map: fc
    .uniqueArray(fc.tuple(fc.oneof({ weight: 60, arbitrary: goodKey }, key), t('tree')), {
      minLength: 1,
      maxLength: 4,
      selector: ([k]) => k,
    })
    .map((map) => ({ map })),
  // `- - a` and `-` over an indented item are left to the yaml package: items here are scalars and mappings
  item: fc.oneof({ depthSize: 'small' }, t('text'), t('map')),
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    t('text'),
    t('map'),
    fc.array(t('item'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
  ),
}));

function render(t: Tree, indent: number, sameIndentSeq: boolean): string[] {
  const pad = ' '.repeat(indent);
  if ('text' in t) return [`${pad}${t.text}`];
  if ('map' in t)
    return t.map.flatMap(([k, v]) =>
      'text' in v
        ? [`${pad}${k}: ${v.text}`]
        : [`${pad}${k}:`, ...render(v, 'seq' in v && sameIndentSeq ? indent : indent + 2, !sameIndentSeq)],
    );
  return t.seq.flatMap((v) => {
    if ('text' in v) return [`${pad}- ${v.text}`];
    const inner = render(v, indent + 2, sameIndentSeq);
    return 'map' in v ? [`${pad}- ${(inner[0] ?? '').trimStart()}`, ...inner.slice(1)] : [`${pad}-`, ...inner];
  });
}

const trees = fc
  .tuple(
    fc.array(tree, { minLength: 1, maxLength: 4 }).map((ts) => ts.map((t, i): [string, Tree] => [`k${i}`, t])),
    fc.boolean(),
    fc.constantFrom('s: &a 1\n', 'a: &a {x: 1}\nb: &b\n  y: 2\n'),
  )
  .map(([map, same, head]) => head + render({ map }, 0, same).join('\n'));

describe('parseFast', () => {
  it('resolves plain scalars with the core schema', () => {
    expect(
      ['', '~', 'Null', 'TRUE', 'False', '0o17', '-12', '0x1F', '.Inf', '-.inf', '1e3', '.5', 'yes', '0o8'].map(plainValue),
    ).toEqual([
      null,
      null,
      null,
      true,
      false,
      15,
      -12,
      31,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1000,
      0.5,
      'yes',
      '0o8',
    ]);
  });

  it('agrees with the yaml package on every corpus file', () => {
    let fast = 0;
    const files = readdirSync(corpus)
      .map((dir) => `${corpus}${dir}/docker-compose.yml`)
      .filter((file) => existsSync(file));
    for (const file of files) if (agree(readFileSync(file, 'utf8'))) fast++;
    // most of the corpus is the common shape: if this drops, the fast path has stopped being used
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  it('agrees with the yaml package on generated compose files', () => {
    let fast = 0;
    fc.assert(
      fc.property(composeObject, (doc) => {
        if (agree(stringify(doc) ?? '')) fast++;
      }),
      { numRuns: 1500 * RUNS },
    );
    expect(fast).toBeGreaterThan(500);
  });

  it('agrees with the yaml package on anchors and merge keys', () => {
    let fast = 0;
    fc.assert(
      fc.property(anchored, (source) => {
        if (agree(source)) fast++;
      }),
      { numRuns: 1000 * RUNS },
    );
    expect(fast).toBeGreaterThan(200);
  });

  it('agrees with the yaml package on pieces of YAML glued at random', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(pieces, anyText, lines), (source) => {
        if (agree(source)) fast++;
      }),
      { numRuns: 5000 * RUNS },
    );
    expect(fast).toBeGreaterThan(50);
  });

  it('agrees with the yaml package on generated block trees', () => {
    let fast = 0;
    fc.assert(
      fc.property(trees, (source) => {
        if (agree(source)) fast++;
      }),
      { numRuns: 3000 * RUNS },
    );
    expect(fast).toBeGreaterThan(1000);
  });
});
