import { describe, expect, it } from 'vitest';
import { ProtoFormatError, readProtoFields } from './proto-reader.js';
import { ProtoWriter } from './proto-writer.js';

describe('ProtoWriter', () => {
  it("writes the encoding guide's examples byte for byte", () => {
    // protobuf.dev "Encoding": field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
    expect(Array.from(new ProtoWriter().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtoWriter().string(2, 'testing').finish())).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
    // A nested message (field 3 holding field 1 = 150): 1a 03 08 96 01.
    expect(Array.from(new ProtoWriter().message(3, new ProtoWriter().int(1, 150)).finish())).toEqual([
      0x1a, 0x03, 0x08, 0x96, 0x01,
    ]);
    // Packed repeated [3, 270, 86942] in field 4: 22 06 03 8e 02 9e a7 05.
    expect(Array.from(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toEqual([
      0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05,
    ]);
  });

  it("writes a negative int64 as ten bytes of two's complement (-1 → ff ×9, 01)", () => {
    expect(Array.from(new ProtoWriter().int(1, -1).finish())).toEqual([
      0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]);
  });

  it('writes a float as four little-endian bytes (1.5 → 00 00 c0 3f) and reads everything back', () => {
    const bytes = new ProtoWriter()
      .float(2, 1.5)
      .int(3, 2 ** 40)
      .bytes(4, new Uint8Array([9, 8]))
      .finish();
    expect(Array.from(bytes.subarray(0, 5))).toEqual([0x15, 0x00, 0x00, 0xc0, 0x3f]);
    const fields = readProtoFields(bytes);
    expect(fields.map((field) => [field.field, field.wireType])).toEqual([
      [2, 5],
      [3, 0],
      [4, 2],
    ]);
    expect(fields[0].value).toBe(1.5);
    expect(fields[1].value).toBe(2 ** 40);
    expect(Array.from(fields[2].value as Uint8Array)).toEqual([9, 8]);
  });

  it('refuses truncated or malformed messages when reading', () => {
    expect(() => readProtoFields(new Uint8Array([0x12, 0x07, 0x74]))).toThrow(ProtoFormatError);
    expect(() => readProtoFields(new Uint8Array([0x0b]))).toThrow('wire type 3');
    expect(() => readProtoFields(new Uint8Array([0x08, 0x96]))).toThrow('runs past the end');
  });
});
