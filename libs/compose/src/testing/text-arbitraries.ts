import fc from 'fast-check';

/* Text that may or may not be YAML, let alone compose: the first inputs of property.spec.ts. Test code only. */

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------------------------

/** Pieces of YAML and compose syntax, glued together in random order: mostly broken documents, some valid ones. */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: compose interpolation, not a template
const TOKENS = [
  'services:',
  'version: "3"',
  '  web:',
  '    image: nginx',
  '    image: ',
  '    ports:',
  '      - "80:80"',
  '      - 70000',
  '    environment:',
  '      - A=${A:-x}',
  '      B: $$B',
  '    depends_on: [web]',
  '    deploy: {replicas: 2}',
  'x-common: &common',
  '  <<: *common',
  '<<: *nope',
  '*a',
  '&a',
  ':',
  '- ',
  '-',
  '${',
  '${VAR:?}',
  '${VAR:-${X}}',
  '$',
  '}',
  '{',
  '[',
  ']',
  '"',
  "'",
  '#',
  '|',
  '>',
  '?',
  '!!str',
  '!!binary',
  '%YAML 1.2',
  '---',
  '...',
  '\t',
  '  ',
  '\n',
  '\r\n',
  '\u00a0',
  'é',
  '🐳',
  '\u0000',
  '\ufeff',
];
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: compose interpolation, not a template

const yamlish = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

/** Lines of a plausible compose file, each possibly replaced by noise. */
const lineish = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TOKENS.filter((t) => !t.includes('\n'))),
      fc.tuple(
        fc.constantFrom('', '  ', '    ', '      ', '\t'),
        fc.string({ maxLength: 12 }),
        fc.constantFrom(':', ': ', ' - ', ''),
      ),
    ),
    { maxLength: 25 },
  )
  .map((lines) => lines.map((l) => (typeof l === 'string' ? l : l.join(''))).join('\n'));

export const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  yamlish,
  lineish,
);
