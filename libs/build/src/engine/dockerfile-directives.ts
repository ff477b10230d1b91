const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;

/**
 * The image a Dockerfile's `# syntax=` parser directive names, if it has one. BuildKit would pull that frontend
 * image from its registry before reading the rest of the file, which fails on an engine without internet access.
 * Directives may only precede everything else; this reads the whole leading block of comments and blank lines, so it
 * errs on the side of finding one.
 */
export function findSyntaxDirective(dockerfile: string): string | undefined {
  for (const raw of dockerfile.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('#')) return undefined;
    const m = DIRECTIVE.exec(line);
    if (m?.[1]?.toLowerCase() === 'syntax' && m[2]) return m[2];
  }
  return undefined;
}
