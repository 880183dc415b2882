import type { DType, StorageType } from '@annet/tensor';

/**
 * The element types of the safetensors format, in the reference implementation's order of
 * increasing alignment (its writer sorts tensors by this order, descending, then by name).
 *
 * @example
 * safetensorsDTypes.includes('BF16'); // true
 */
export const safetensorsDTypes = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
] as const;

/** A safetensors `dtype` string. */
export type SafetensorsDType = (typeof safetensorsDTypes)[number];

/**
 * How annet reads each safetensors dtype: the two 8-bit float formats are not read; the others
 * become tensors as described in {@link decodeSafetensors}.
 */
export const storageOf: Readonly<Record<SafetensorsDType, StorageType | null>> = {
  BOOL: 'bool',
  U8: 'uint8',
  I8: 'int8',
  F8_E5M2: null,
  F8_E4M3: null,
  I16: 'int16',
  U16: 'uint16',
  F16: 'float16',
  BF16: 'bfloat16',
  I32: 'int32',
  U32: 'uint32',
  F32: 'float32',
  F64: 'float64',
  I64: 'int64',
  U64: 'uint64',
};

/** The safetensors dtype annet writes for each tensor dtype. */
export const safetensorsDTypeOf: Readonly<Record<DType, SafetensorsDType>> = {
  float32: 'F32',
  float64: 'F64',
  int32: 'I32',
};

/**
 * Position of a dtype in {@link safetensorsDTypes}; -1 for strings that are not safetensors dtypes.
 *
 * @example
 * alignmentRank('F64') > alignmentRank('F32'); // true
 */
export function alignmentRank(dtype: string): number {
  return (safetensorsDTypes as readonly string[]).indexOf(dtype);
}
