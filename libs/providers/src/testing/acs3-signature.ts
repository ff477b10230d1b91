import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/*
 * Aliyun's signature V3, ACS3-HMAC-SHA256, checked the way the real endpoints check it (what @alicloud/openapi-core,
 * the SDK under ecs20140526 7.x and sts20150401 1.x, computes by default):
 *
 *   CanonicalRequest = METHOD \n path \n sorted(encode(key)=encode(value)) joined by & \n
 *                      (lowercased signed header:trimmed value \n)… \n signed;header;names \n hex(sha256(body))
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Authorization    = ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=hex(hmac-sha256(secret, StringToSign))
 *
 * recomputed from what arrived on the wire with the secret known for that AccessKey id (STS session keys also need
 * their `x-acs-security-token`).
 */

const ALGORITHM = 'ACS3-HMAC-SHA256';

/** RFC 3986 percent-encoding, as Aliyun's canonical query string wants it. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export type Acs3Verdict = { ok: true; accessKeyId: string } | { ok: false; status: number; code: string; message: string };

/** What the verifier knows of an AccessKey id: its secret, and the security token an STS session key comes with. */
export type KeyLookup = (accessKeyId: string) => { secret: string; token?: string } | undefined;

/** Checks a request's V3 signature; each nonce is accepted once (`nonces` remembers them). */
export function verifyAcs3(
  req: Pick<IncomingMessage, 'headers' | 'method'>,
  url: URL,
  body: Buffer,
  nonces: Set<string>,
  lookup: KeyLookup,
): Acs3Verdict {
  const refuse = (status: number, code: string, message: string): Acs3Verdict => ({ ok: false, status, code, message });
  const auth = /^(\S+) Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(
    String(req.headers.authorization ?? ''),
  );
  if (!auth) return refuse(400, 'IncompleteSignature', 'The Authorization header is missing or malformed.');
  const [, algorithm, accessKeyId = '', signedHeaders = '', signature = ''] = auth;
  if (algorithm !== ALGORITHM) return refuse(400, 'IncompleteSignature', `Unsupported algorithm ${algorithm}.`);

  const key = lookup(accessKeyId);
  if (key === undefined) return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  const token = req.headers['x-acs-security-token'];
  if (key.token !== undefined && token !== key.token)
    return refuse(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'The security token does not match the AccessKey.');
  if (key.token === undefined && token !== undefined)
    return refuse(400, 'InvalidSecurityToken.Malformed', 'The security token is malformed.');

  const names = signedHeaders.split(';');
  const sentAcs = Object.keys(req.headers).filter((h) => h.startsWith('x-acs-'));
  for (const required of [
    'host',
    'x-acs-action',
    'x-acs-version',
    'x-acs-date',
    'x-acs-signature-nonce',
    'x-acs-content-sha256',
    ...sentAcs,
  ]) {
    if (!names.includes(required)) return refuse(400, 'IncompleteSignature', `The header ${required} is not signed.`);
  }
  if (!/^[a-z0-9-]+(;[a-z0-9-]+)*$/.test(signedHeaders) || [...names].sort().join(';') !== signedHeaders)
    return refuse(400, 'IncompleteSignature', 'SignedHeaders must be lowercase and sorted.');
  const payloadHash = sha256(body);
  if (req.headers['x-acs-content-sha256'] !== payloadHash)
    return refuse(400, 'SignatureDoesNotMatch', 'x-acs-content-sha256 does not match the body.');
  const date = Date.parse(String(req.headers['x-acs-date']));
  if (Number.isNaN(date) || Math.abs(Date.now() - date) > 15 * 60_000)
    return refuse(400, 'InvalidTimeStamp.Expired', 'The x-acs-date is out of the 15 minutes window.');

  const query = [...url.searchParams]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = names.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256(canonical)}`;
  const expected = createHmac('sha256', key.secret).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return refuse(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    );

  const nonce = String(req.headers['x-acs-signature-nonce']);
  if (nonces.has(nonce)) return refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  nonces.add(nonce);
  return { ok: true, accessKeyId };
}
