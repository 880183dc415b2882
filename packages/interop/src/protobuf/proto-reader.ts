import { wireType } from './proto-writer.js';

/** One field read by {@link readProtoFields}: a number for varint and fixed fields, the bytes for length-delimited ones. */
export interface ProtoField {
  readonly field: number;
  readonly wireType: number;
  /** Varints as numbers (exact below 2^53; negative int64 come back as their two's complement), fixed32 as the float's value. */
  readonly value: number | Uint8Array;
}

/** Why the bytes are not a protobuf message: thrown by {@link readProtoFields}, with the byte offset. */
export class ProtoFormatError extends Error {}

/**
 * Splits one protobuf message into its fields (not recursing into nested messages). Throws a
 * {@link ProtoFormatError} on a truncated field, an unknown wire type or a zero field number.
 *
 * @example
 * readProtoFields(new ProtoWriter().int(1, 150).finish()); // [{ field: 1, wireType: 0, value: 150 }]
 */
export function readProtoFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let count = 0; count < 10; count++) {
      if (offset >= bytes.length) throw new ProtoFormatError(`a varint runs past the end at byte ${offset}`);
      const byte = bytes[offset++];
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return result;
    }
    throw new ProtoFormatError(`a varint is longer than 10 bytes at byte ${offset}`);
  };
  while (offset < bytes.length) {
    const start = offset;
    const key = varint();
    const field = Math.floor(key / 8);
    const type = key % 8;
    if (field === 0) throw new ProtoFormatError(`field number 0 at byte ${start}`);
    if (type === wireType.varint) fields.push({ field, wireType: type, value: varint() });
    else if (type === wireType.lengthDelimited) {
      const length = varint();
      if (offset + length > bytes.length)
        throw new ProtoFormatError(
          `field ${field} at byte ${start} claims ${length} bytes, only ${bytes.length - offset} remain`,
        );
      fields.push({ field, wireType: type, value: bytes.subarray(offset, offset + length) });
      offset += length;
    } else if (type === wireType.fixed32 || type === wireType.fixed64) {
      const size = type === wireType.fixed32 ? 4 : 8;
      if (offset + size > bytes.length) throw new ProtoFormatError(`field ${field} at byte ${start} is truncated`);
      fields.push({
        field,
        wireType: type,
        value: type === wireType.fixed32 ? view.getFloat32(offset, true) : view.getFloat64(offset, true),
      });
      offset += size;
    } else
      throw new ProtoFormatError(`wire type ${type} (field ${field}) at byte ${start} is not one protobuf uses here`);
  }
  return fields;
}
