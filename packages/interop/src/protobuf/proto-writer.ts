/**
 * The protobuf wire types this encoder writes: 0 varint, 1 fixed 64-bit, 2 length-delimited,
 * 5 fixed 32-bit (https://protobuf.dev/programming-guides/encoding/).
 */
export const wireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

const textEncoder = new TextEncoder();

/**
 * A minimal protobuf (proto2/proto3 wire format) message writer: fields are appended in call
 * order as chunks, and {@link ProtoWriter.finish} joins them once. Enough for ONNX: varints
 * (int32/int64/enum, negative values as 10-byte two's complement), floats, strings, bytes and
 * nested messages. A field key is `(fieldNumber << 3) | wireType`.
 *
 * @example
 * const bytes = new ProtoWriter().int(1, 8).string(2, 'annet').finish(); // [0x08, 0x08, 0x12, 0x05, ...'annet']
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private length = 0;

  /** An integer field (int32, int64 or enum) as a varint. Exact for |value| < 2^53. */
  int(field: number, value: number): this {
    this.key(field, wireType.varint);
    this.varint(value);
    return this;
  }

  /** A float (32-bit) field. */
  float(field: number, value: number): this {
    this.key(field, wireType.fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.append(bytes);
    return this;
  }

  /** A string field, UTF-8. */
  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** A bytes field (or a nested message already encoded). The array is kept, not copied, until `finish`. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, wireType.lengthDelimited);
    this.varint(value.length);
    this.append(value);
    return this;
  }

  /** A nested message field. */
  message(field: number, message: ProtoWriter): this {
    return this.bytes(field, message.finish());
  }

  /** A packed repeated integer field (int64/int32): one length-delimited run of varints. */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const value of values) inner.varint(value);
    return this.bytes(field, inner.finish());
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private key(field: number, type: number): void {
    this.varint(field * 8 + type);
  }

  /** Base-128 varint, low groups first; a negative value is its 64-bit two's complement (10 bytes). */
  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint: ${value} is not a safe integer`);
    if (value < 0) {
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.pending.push(Number(big & 0x7fn) | 0x80);
        big >>= 7n;
      }
      this.pending.push(Number(big));
      return;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.pending.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.pending.push(rest);
  }

  private append(bytes: Uint8Array): void {
    this.flush();
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.length += this.pending.length;
    this.pending = [];
  }
}
