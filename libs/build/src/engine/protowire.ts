/**
 * The protobuf wire format (https://protobuf.dev/programming-guides/encoding/), as much as the engine's BuildKit
 * messages need: a reader of (field, value) pairs and a writer of proto3 fields. Messages are small and few, so
 * no generated code and no dependency.
 */

export class ProtobufError extends Error {}

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

export type FieldValue = bigint | Uint8Array;

/** Reads (field number, value) pairs of one message; fixed-width fields are skipped. */
export function* fields(buf: Uint8Array): Generator<{ field: number; value: FieldValue }> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= buf.length) throw new ProtobufError('truncated varint');
      if (shift > 63n) throw new ProtobufError('varint longer than 10 bytes');
      const byte = buf[pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > buf.length) throw new ProtobufError('truncated field');
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    switch (key & 7) {
      case VARINT:
        yield { field, value: varint() };
        break;
      case LEN:
        yield { field, value: take(Number(varint())) };
        break;
      case I64:
        take(8);
        break;
      case I32:
        take(4);
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${key & 7} (field ${field})`);
    }
  }
}

/** Writes proto3 fields in the order given; zero and empty values are left out, as proto3 encoders do. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  /** uint32, uint64, int64 (negative values as 64-bit two's complement) and enums. */
  varint(field: number, value: number | bigint): this {
    const v = BigInt.asUintN(64, BigInt(value));
    if (v === 0n) return this;
    this.key(field, VARINT);
    this.raw(v);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.length === 0) return this;
    return this.message(field, value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** An embedded message: written even when empty, since its presence means something. */
  message(field: number, value: Uint8Array): this {
    this.key(field, LEN);
    this.raw(BigInt(value.length));
    this.parts.push(value);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }

  private key(field: number, wireType: number): void {
    this.raw(BigInt((field << 3) | wireType));
  }

  private raw(v: bigint): void {
    const out: number[] = [];
    let rest = v;
    while (rest >= 0x80n) {
      out.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    out.push(Number(rest));
    this.parts.push(Uint8Array.from(out));
  }
}
