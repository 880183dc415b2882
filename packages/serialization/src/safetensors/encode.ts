import { AnnetError, writeTensorElements, type Tensor } from '@annet/tensor';
import { alignmentRank, safetensorsDTypeOf, type SafetensorsDType } from './dtypes.js';

/** One tensor placed in the data section of a file about to be written. */
export interface PlannedTensor {
  /** Header key. */
  readonly name: string;
  /** The tensor to write. */
  readonly tensor: Tensor;
  /** Its safetensors dtype. */
  readonly dtype: SafetensorsDType;
  /** First byte in the data section. */
  readonly begin: number;
  /** One past the last byte in the data section. */
  readonly end: number;
}

/** Where every tensor goes, and how long the data section is. */
export interface SafetensorsPlan {
  /** The tensors in file order. */
  readonly entries: readonly PlannedTensor[];
  /** Bytes of tensor data. */
  readonly dataLength: number;
}

/**
 * Compares strings by Unicode code point, which is the UTF-8 byte order Rust's `String` sorts by.
 *
 * @example
 * compareCodePoints('\uff5e', '\u{1f600}') < 0; // true, although '\uff5e' > '\u{1f600}' in JavaScript
 */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index].codePointAt(0)! - right[index].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/**
 * Orders tensors the way the reference writer does (by dtype alignment, largest first, then by
 * name) and assigns each its byte range. With the header padded to 8 bytes, every tensor's data
 * then starts at a multiple of its element size, so readers can view it in place.
 *
 * @example
 * planSafetensors({ b: tensor([1]), a: tensor([1], { dtype: 'float64' }) }, 'save').entries.map((entry) => entry.name); // ['a', 'b']
 */
export function planSafetensors(tensors: Readonly<Record<string, Tensor>>, operation: string): SafetensorsPlan {
  if (typeof tensors !== 'object' || tensors === null)
    throw new AnnetError('INVALID_ARGUMENT', operation, `expected a record of named tensors, got ${String(tensors)}`);
  const named = Object.entries(tensors).map(([name, tensor]) => {
    if (name === '__metadata__')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        "'__metadata__' is reserved by the safetensors format and cannot name a tensor",
      );
    const dtype =
      typeof tensor === 'object' && tensor !== null
        ? safetensorsDTypeOf[tensor.dtype as keyof typeof safetensorsDTypeOf]
        : undefined;
    if (dtype === undefined || !Array.isArray(tensor.shape) || typeof tensor.size !== 'number') {
      throw new AnnetError('INVALID_ARGUMENT', operation, `'${name}' is not a float32, float64 or int32 Tensor`);
    }
    return { name, tensor, dtype };
  });
  named.sort((a, b) => alignmentRank(b.dtype) - alignmentRank(a.dtype) || compareCodePoints(a.name, b.name));
  let offset = 0;
  const entries = named.map(({ name, tensor, dtype }) => {
    const begin = offset;
    offset += tensor.size * tensor.data.BYTES_PER_ELEMENT;
    return { name, tensor, dtype, begin, end: offset };
  });
  return { entries, dataLength: offset };
}

/**
 * The JSON header of a plan, as UTF-8 bytes padded with spaces to a multiple of 8 (what the
 * reference implementation writes): `__metadata__` first (keys sorted), then the tensors in file order.
 *
 * @example
 * encodeHeader(planSafetensors({}, 'save'), undefined, 'save'); // the bytes of '{}      '
 */
export function encodeHeader(
  plan: SafetensorsPlan,
  metadata: Readonly<Record<string, string>> | undefined,
  operation: string,
): Uint8Array {
  // Written piece by piece rather than through an object, whose integer-like keys JavaScript would reorder.
  const members: string[] = [];
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `metadata must be a record of strings, got ${String(metadata)}`,
      );
    const sorted = Object.entries(metadata).sort(([a], [b]) => compareCodePoints(a, b));
    for (const [key, value] of sorted) {
      if (typeof value !== 'string')
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `metadata values must be strings, but '${key}' is ${typeof value}`,
        );
    }
    members.push(
      `"__metadata__":{${sorted.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`,
    );
  }
  for (const entry of plan.entries) {
    members.push(
      `${JSON.stringify(entry.name)}:{"dtype":"${entry.dtype}","shape":[${entry.tensor.shape.join(',')}],"data_offsets":[${entry.begin},${entry.end}]}`,
    );
  }
  const json = new TextEncoder().encode(`{${members.join(',')}}`);
  const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  padded.set(json);
  return padded;
}

/**
 * Allocates the file once and writes the header length, the header and every tensor's data.
 *
 * @example
 * const plan = planSafetensors(tensors, 'save');
 * const bytes = assembleSafetensors(plan, encodeHeader(plan, metadata, 'save'));
 */
export function assembleSafetensors(plan: SafetensorsPlan, header: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + header.length + plan.dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, header.length % 2 ** 32, true);
  view.setUint32(4, Math.floor(header.length / 2 ** 32), true);
  out.set(header, 8);
  const dataStart = 8 + header.length;
  for (const entry of plan.entries) writeTensorElements(entry.tensor, out, dataStart + entry.begin);
  return out;
}

/**
 * Encodes named tensors (float32 → F32, float64 → F64, int32 → I32) and an optional string map
 * as a safetensors file, byte for byte as the reference writer lays it out: an 8-byte
 * little-endian header length, a JSON header padded with spaces to a multiple of 8, then the
 * little-endian data in row-major order, tensors sorted by alignment then name.
 *
 * @example
 * const bytes = encodeSafetensors({ 'dense.weights': tensor([[1, 2], [3, 4]]) }, { framework: 'annet' });
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const plan = planSafetensors(tensors, 'encodeSafetensors');
  return assembleSafetensors(plan, encodeHeader(plan, metadata, 'encodeSafetensors'));
}
