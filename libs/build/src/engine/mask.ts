/** Secrets shorter than this are not masked: masking `a` or `true` would shred every log line. */
const MIN_SECRET_LENGTH = 4;

/** The forms a secret takes in build output: as is, base64 (padded, unpadded, URL-safe) and URL-encoded. */
function forms(secret: string): string[] {
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  const url = encodeURIComponent(secret);
  return [secret, b64, b64.replace(/=+$/, ''), Buffer.from(secret, 'utf8').toString('base64url'), url, url.replace(/%20/g, '+')];
}

/**
 * Returns a function that replaces every secret (of at least 4 characters) in a line with `***`, along with its
 * base64 and URL-encoded forms. Longer forms are replaced first, so a secret inside another one does not leave the
 * rest of the longer one readable.
 */
export function secretMasker(secrets: readonly string[]): (line: string) => string {
  const needles = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).flatMap(forms))]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join('***');
    return out;
  };
}
