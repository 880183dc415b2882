import type { DType } from '../dtype.js';

/**
 * Result dtype of an arithmetic op on two dtypes: float64 if either is float64, else float32
 * if either is float32, else int32. (Division of two int32 tensors is float32: see
 * {@link divisionDType}.)
 *
 * @example
 * promoteDTypes('int32', 'float32'); // 'float32'
 */
export function promoteDTypes(a: DType, b: DType): DType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}

/**
 * Result dtype of true division: like {@link promoteDTypes}, but int32 / int32 is float32.
 *
 * @example
 * divisionDType('int32', 'int32'); // 'float32'
 */
export function divisionDType(a: DType, b: DType): DType {
  const promoted = promoteDTypes(a, b);
  return promoted === 'int32' ? 'float32' : promoted;
}

/**
 * The dtype a plain JavaScript number takes next to a tensor of `partner` dtype: the
 * partner's dtype, except that a non-integer number next to int32 is float32 (so
 * `mul(labels, 0.5)` does not truncate). Two numbers give float32.
 *
 * @example
 * scalarDType(2, 'int32');   // 'int32'
 * scalarDType(0.5, 'int32'); // 'float32'
 */
export function scalarDType(value: number, partner: DType | null): DType {
  if (partner === null) return 'float32';
  if (partner === 'int32' && !Number.isInteger(value)) return 'float32';
  return partner;
}

/** The dtype of a transcendental op's result (exp, log, ...): float32 for int32 input, else the input's. */
export type FloatResult<D extends DType> = D extends 'int32' ? 'float32' : D;
