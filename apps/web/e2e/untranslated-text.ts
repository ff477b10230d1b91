/**
 * Finding text left in English on a page shown in another language: the pure part of `untranslatedText`
 * (which collects the page's visible text in the browser), so it is unit-tested without one.
 *
 * A piece of text is untranslated when, once the allowed things are taken out, it still holds a Latin word
 * that is neither a technical token nor a name that stays Latin in every language.
 */

/** What may stay Latin on a translated page: literally (a string) or every match (a RegExp). */
export type Allowed = string | RegExp;

/** Names and units that stay as they are in every language (matched as whole words, case-sensitive). */
export const LATIN_TERMS: readonly string[] = [
  'Wharf',
  'Docker',
  'Dockerfile',
  'Compose',
  'Swarm',
  'Agent',
  'Git',
  'GitHub',
  'GitHub Actions',
  'GitLab',
  'Gitee',
  'Webhook',
  'Payload URL',
  'AccessKey Secret',
  'Amazon Web Services',
  'Alibaba Cloud',
  'Aliyun',
  'Python',
  'Go',
  'Java',
  'Maven',
  'Gradle',
  'Linux',
  'vCPU',
  'vCPUs',
  'jar',
  'push',
  'root',
  'shell',
  'seccomp',
  'sysctls',
];

/** Latin runs that are code, not prose: URLs, e-mail addresses, paths, ids, versions, flags, KEY=value. */
const TECHNICAL_PATTERNS: readonly RegExp[] = [
  /\b(?:npm|pip|go|git|docker|wharf)(?:\s+[a-z][\w-]*){1,2}/g, // commands: npm run build, go build, wharf deploy
  /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, // URLs
  /\b[a-z][a-z_]*: [a-z][\w-]*/g, // YAML pairs: network_mode: host
  /[\w.+-]+@[\w-]+(\.[\w-]+)+/g, // e-mail addresses, git@host:repo
  /\S*[\w-]+[:/=@#$<>[\]{}|\\_~][\w./:=@#$<>[\]{}|\\~-]*/g, // paths, image refs, KEY=value, snake_case, arn:…
  /\b[\w-]*\d[\w-]*\b/g, // anything with a digit: versions, sizes, hashes, ids
  /(^|[\s(（])-{1,2}[\w-]+/g, // command-line flags
  /\b\w+(\.\w+)+\b/g, // dotted names: deploy.replicas, members.update, Node.js
  /\b[A-Z]{2,}s?\b/g, // acronyms: CPU, HTTP, API, URLs
  /\b[a-z]+[A-Z]\w*\b/g, // camelCase identifiers
  /\b[A-Z][a-z]+[A-Z]\w*\b/g, // PascalCase identifiers: ExternalId, AccessKey, GitHub
  /\b[a-z]+(?:-[a-z]+)+\b/g, // kebab-case names: docker-compose, eu-west
  /(?:\b\w+\+|[⌘⌥⇧])+\w+/g, // key combinations: Ctrl+C, ⌘C
  /[“"‘'][A-Za-z][\w.-]*[”"’']/g, // one quoted name: “production”
];

const LATIN_WORD = /[A-Za-z]+(?:['’][A-Za-z]+)*/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function globally(pattern: RegExp): RegExp {
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}

/** The text with the allowed things, the Latin terms and every technical token blanked out. */
export function withoutAllowed(text: string, allow: readonly Allowed[] = []): string {
  let rest = text;
  for (const allowed of allow) {
    // an empty string would split the text into letters
    if (allowed === '') continue;
    rest = typeof allowed === 'string' ? rest.split(allowed).join(' ') : rest.replace(globally(allowed), ' ');
  }
  // longer terms first, so `GitHub Actions` goes whole before `GitHub` does
  for (const term of [...LATIN_TERMS].sort((a, b) => b.length - a.length)) {
    rest = rest.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(term)}(?![\\w-])`, 'g'), ' ');
  }
  for (const pattern of TECHNICAL_PATTERNS) rest = rest.replace(pattern, ' ');
  return rest;
}

/** The Latin words of `text` that are neither allowed, nor Latin terms, nor part of a technical token. */
export function untranslatedWords(text: string, allow: readonly Allowed[] = []): string[] {
  return withoutAllowed(text, allow).match(LATIN_WORD) ?? [];
}

/** The pieces (trimmed, once each, in order) that hold an untranslated word. */
export function untranslatedPieces(pieces: readonly string[], allow: readonly Allowed[] = []): string[] {
  const found = new Set<string>();
  for (const piece of pieces) {
    const text = piece.replace(/\s+/g, ' ').trim();
    if (text !== '' && untranslatedWords(text, allow).length > 0) found.add(text);
  }
  return [...found];
}
