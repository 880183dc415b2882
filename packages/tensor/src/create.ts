import { allocate, assertDType, dtypeOfArray, type DType, type TypedArrayFor } from './dtype.js';
import { AnnetError, formatShape } from './errors.js';
import { checkShape, sizeOf } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** Options of {@link tensor}. */
export interface TensorOptions<D extends DType = DType> {
  /** Target shape; inferred from nested arrays, or `[length]` for flat input. */
  shape?: readonly number[];
  /** Element type; the typed array's own type, or `float32` for plain numbers. */
  dtype?: D;
}

function inferShape(values: NestedArray | number, operation: string): number[] {
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const flatSize = sizeOf(shape);
  const check = (node: unknown, axis: number): void => {
    if (axis === shape.length) {
      if (typeof node !== 'number')
        throw new AnnetError('INVALID_ARGUMENT', operation, `expected a number at depth ${axis}, got ${typeof node}`);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[axis]) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `nested arrays are ragged: expected length ${shape[axis]} at depth ${axis}, got ${Array.isArray(node) ? node.length : typeof node}`,
      );
    }
    for (const child of node) check(child, axis + 1);
  };
  if (flatSize > 0 || shape.length === 0) check(values, 0);
  return shape;
}

function flatten(values: NestedArray): number[] {
  const out: number[] = [];
  const walk = (node: number | NestedArray) => {
    if (typeof node === 'number') out.push(node);
    else for (const child of node) walk(child);
  };
  walk(values);
  return out;
}

/**
 * Creates a tensor from nested arrays, a flat array or a typed array (which is copied).
 *
 * @example
 * tensor([[1, 2], [3, 4]]);                        // float32, shape [2, 2]
 * tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3], dtype: 'float64' });
 */
export function tensor<D extends DType = 'float32'>(
  values: number | NestedArray | ArrayLike<number>,
  options: TensorOptions<D> = {},
): Tensor<D> {
  const operation = 'tensor';
  const isTyped = ArrayBuffer.isView(values);
  const dtype = (options.dtype ?? (isTyped ? dtypeOfArray(values as ArrayLike<number>, operation) : 'float32')) as D;
  assertDType(dtype, operation);
  let flat: ArrayLike<number>;
  let naturalShape: number[];
  if (isTyped) {
    flat = values as ArrayLike<number>;
    naturalShape = [flat.length];
  } else {
    naturalShape = inferShape(values as NestedArray | number, operation);
    flat = typeof values === 'number' ? [values] : flatten(values as NestedArray);
  }
  const shape = options.shape ? checkShape(options.shape, operation) : naturalShape;
  const needed = sizeOf(shape);
  if (flat.length !== needed) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `${flat.length} values do not fill shape ${formatShape(shape)} (${needed} needed)`,
    );
  }
  const data = allocate(dtype, needed, operation) as TypedArrayFor[D];
  for (let index = 0; index < needed; index++) {
    const value = flat[index];
    if (dtype === 'int32' && !isInt32(value)) {
      throw new AnnetError(
        'DTYPE_MISMATCH',
        operation,
        `int32 tensors hold integers in [-2^31, 2^31), got ${value} at index ${index}`,
      );
    }
    data[index] = value;
  }
  return new Tensor(data, shape);
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * full([2, 2], 7); // [[7, 7], [7, 7]]
 */
export function full<D extends DType = 'float32'>(
  shape: readonly number[],
  value: number,
  dtype: D = 'float32' as D,
): Tensor<D> {
  return filled(shape, value, dtype, 'full');
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

function filled<D extends DType>(shape: readonly number[], value: number, dtype: D, operation: string): Tensor<D> {
  assertDType(dtype, operation);
  const checked = checkShape(shape, operation);
  if (dtype === 'int32' && !isInt32(value)) {
    throw new AnnetError('DTYPE_MISMATCH', operation, `int32 tensors hold integers in [-2^31, 2^31), got ${value}`);
  }
  const data = allocate(dtype, sizeOf(checked), operation) as TypedArrayFor[D];
  if (value !== 0) data.fill(value);
  return new Tensor(data, checked);
}

/**
 * A tensor of zeros.
 *
 * @example
 * zeros([2, 3]);          // float32 zeros
 * zeros([4], 'int32');    // int32 zeros
 */
export function zeros<D extends DType = 'float32'>(shape: readonly number[], dtype: D = 'float32' as D): Tensor<D> {
  return filled(shape, 0, dtype, 'zeros');
}

/**
 * A tensor of ones.
 *
 * @example
 * ones([3], 'float64'); // [1, 1, 1]
 */
export function ones<D extends DType = 'float32'>(shape: readonly number[], dtype: D = 'float32' as D): Tensor<D> {
  return filled(shape, 1, dtype, 'ones');
}

/**
 * Zeros with the shape and dtype of `like`.
 *
 * @example
 * const gradient = zerosLike(weights);
 */
export function zerosLike<D extends DType>(like: Tensor<D>): Tensor<D> {
  return full(like.shape, 0, like.dtype);
}

/**
 * Ones with the shape and dtype of `like`.
 *
 * @example
 * const mask = onesLike(x);
 */
export function onesLike<D extends DType>(like: Tensor<D>): Tensor<D> {
  return full(like.shape, 1, like.dtype);
}

/**
 * `start, start + step, …` up to but excluding `stop` (NumPy's `arange`). With one argument,
 * `0 … stop - 1`.
 *
 * @example
 * arange(4);                // [0, 1, 2, 3]
 * arange(1, 2, 0.25);       // [1, 1.25, 1.5, 1.75]
 * arange(0, 6, 2, 'int32'); // int32 [0, 2, 4]
 */
export function arange<D extends DType = 'float32'>(
  start: number,
  stop?: number,
  step = 1,
  dtype: D = 'float32' as D,
): Tensor<D> {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'arange',
      `start, stop and step must be finite with step non-zero, got ${start}, ${stop}, ${step}`,
    );
  }
  if (dtype === 'int32' && !(isInt32(start) && isInt32(step))) {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      'arange',
      `an int32 range needs integer start and step, got ${start} and ${step}`,
    );
  }
  const length = Math.max(0, Math.ceil((stop - start) / step));
  if (!Number.isSafeInteger(length)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'arange',
      `the range from ${start} to ${stop} by ${step} has ${length} elements, more than any array can hold`,
    );
  }
  const result = filled([length], 0, dtype, 'arange');
  for (let index = 0; index < length; index++) result.data[index] = start + index * step;
  return result;
}

/**
 * `count` evenly spaced values from `start` to `stop`, both included.
 *
 * @example
 * linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace<D extends DType = 'float32'>(
  start: number,
  stop: number,
  count: number,
  dtype: D = 'float32' as D,
): Tensor<D> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new AnnetError('INVALID_ARGUMENT', 'linspace', `count must be a non-negative integer, got ${count}`);
  }
  const result = filled([count], 0, dtype, 'linspace');
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  for (let index = 0; index < count; index++)
    result.data[index] = index === count - 1 && count > 1 ? stop : start + index * step;
  return result;
}

/**
 * The `rows × columns` identity matrix (square by default).
 *
 * @example
 * eye(2);    // [[1, 0], [0, 1]]
 * eye(2, 3); // [[1, 0, 0], [0, 1, 0]]
 */
export function eye<D extends DType = 'float32'>(rows: number, columns = rows, dtype: D = 'float32' as D): Tensor<D> {
  const result = filled([rows, columns], 0, dtype, 'eye');
  for (let index = 0; index < Math.min(rows, columns); index++) result.data[index * columns + index] = 1;
  return result;
}
