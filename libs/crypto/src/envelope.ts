import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * Envelope encryption for the secrets that matter most (cloud account credentials): each value is encrypted under a
 * data key of its own (AES-256-GCM), and the data key is wrapped by a master key. Rotating the master key re-wraps
 * the data keys — the values themselves are not touched — and a value names the master key that wraps it, so old
 * and new keys work side by side until every value is re-wrapped.
 *
 *   e1.<master key id>.<wrap iv>.<wrap tag>.<wrapped data key>.<iv>.<tag>.<data>     (base64url parts)
 */

const VERSION = 'e1';

interface Sealed {
  keyId: string;
  wrapIv: Buffer;
  wrapTag: Buffer;
  wrapped: Buffer;
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; tag: Buffer; data: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

function decrypt(key: Buffer, part: { iv: Buffer; tag: Buffer; data: Buffer }, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, part.iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(part.tag);
  return Buffer.concat([decipher.update(part.data), decipher.final()]);
}

function parse(sealed: string): Sealed {
  const parts = sealed.split('.');
  if (parts.length !== 8 || parts[0] !== VERSION) throw new Error('not an envelope-sealed secret');
  const [, keyId, ...rest] = parts as [string, string, ...string[]];
  const [wrapIv, wrapTag, wrapped, iv, tag, data] = rest.map((p) => Buffer.from(p, 'base64url')) as Buffer[];
  return { keyId, wrapIv, wrapTag, wrapped, iv, tag, data } as Sealed;
}

function format(s: Sealed): string {
  return [VERSION, s.keyId, s.wrapIv, s.wrapTag, s.wrapped, s.iv, s.tag, s.data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** A master key's id: the start of its SHA-256, so the id says nothing of the key but tells keys apart. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('wharf-master-key').update(key).digest('hex').slice(0, 12);
}

/** The current master key and the earlier ones still accepted while values are re-wrapped. */
export class Keyring {
  readonly #keys = new Map<string, Buffer>();
  readonly currentId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('master keys are 32 bytes');
      this.#keys.set(masterKeyId(key), key);
    }
    this.currentId = masterKeyId(current);
  }

  /** `current` and a comma-separated list of previous keys, base64 each (MASTER_KEY, MASTER_KEYS_PREVIOUS). */
  static fromBase64(current: string, previous = ''): Keyring {
    const decode = (k: string) => Buffer.from(k.trim(), 'base64');
    return new Keyring(
      decode(current),
      previous
        .split(',')
        .filter((k) => k.trim() !== '')
        .map(decode),
    );
  }

  /** `aad` binds the value to its row and purpose: moved elsewhere, it does not open. */
  seal(plaintext: string, aad: string): string {
    const dataKey = randomBytes(32);
    const body = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), aad);
    const wrap = encrypt(this.master(this.currentId), dataKey, `data-key:${aad}`);
    return format({ keyId: this.currentId, wrapIv: wrap.iv, wrapTag: wrap.tag, wrapped: wrap.data, ...body });
  }

  open(sealed: string, aad: string): string {
    const s = parse(sealed);
    const dataKey = decrypt(this.master(s.keyId), { iv: s.wrapIv, tag: s.wrapTag, data: s.wrapped }, `data-key:${aad}`);
    return decrypt(dataKey, s, aad).toString('utf8');
  }

  /** The same value with its data key wrapped by the current master key (unchanged when it already is). */
  rewrap(sealed: string, aad: string): string {
    const s = parse(sealed);
    if (s.keyId === this.currentId) return sealed;
    const dataKey = decrypt(this.master(s.keyId), { iv: s.wrapIv, tag: s.wrapTag, data: s.wrapped }, `data-key:${aad}`);
    const wrap = encrypt(this.master(this.currentId), dataKey, `data-key:${aad}`);
    return format({ ...s, keyId: this.currentId, wrapIv: wrap.iv, wrapTag: wrap.tag, wrapped: wrap.data });
  }

  /** Which master key wraps the value. */
  static keyIdOf(sealed: string): string {
    return parse(sealed).keyId;
  }

  private master(id: string): Buffer {
    const key = this.#keys.get(id);
    if (!key) throw new Error(`the master key ${id} that wraps this secret is not configured`);
    return key;
  }
}
