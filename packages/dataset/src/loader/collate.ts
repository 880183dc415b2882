import {
  AnnetError,
  Tensor,
  formatShape,
  shapesEqual,
  sizeOf,
  tensor,
  type DType,
  type NestedArray,
  type TypedArray,
} from '@annet/tensor';
import type { Batch, NamedBatch, TensorRecord } from '../datasets/sample.js';
import { freshArrays, type BatchAllocator } from './batch-buffers.js';

/**
 * Turns the samples of one batch into what the loader yields.
 *
 * @example
 * const collate: Collate<string, string> = (samples) => samples.join('');
 */
export type Collate<S, B> = (samples: S[]) => B;

/**
 * Element types the default collate uses for plain numbers and arrays (tensors keep theirs).
 *
 * @example
 * new DataLoader(ArrayDataset.fromPairs(points, labels), { dtypes: { targets: 'int32' } });
 */
export interface CollateDTypes {
  /** dtype of `inputs` built from numbers or arrays (default `'float32'`). */
  readonly inputs?: DType;
  /** dtype of `targets` built from numbers or arrays (default `'float32'`; use `'int32'` for class indices). */
  readonly targets?: DType;
}

/** One side of a sample reduced to a flat, readable form. */
interface Flat {
  readonly shape: readonly number[];
  readonly dtype: DType | undefined;
  readonly read: (target: TypedArray, offset: number) => void;
}

function flatten(value: unknown, operation: string, side: string, position: number): Flat {
  if (value instanceof Tensor) {
    const source = value.isContiguous ? value : value.contiguous(true);
    const start = source.offset;
    return {
      shape: value.shape,
      dtype: value.dtype,
      read: (target, offset) => target.set(source.data.subarray(start, start + source.size), offset),
    };
  }
  if (typeof value === 'number')
    return { shape: [], dtype: undefined, read: (target, offset) => (target[offset] = value) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as ArrayLike<number>;
    const dtype =
      value instanceof Float32Array
        ? 'float32'
        : value instanceof Float64Array
          ? 'float64'
          : value instanceof Int32Array
            ? 'int32'
            : undefined;
    return {
      shape: [array.length],
      dtype,
      read: (target, offset) => {
        for (let index = 0; index < array.length; index++) target[offset + index] = array[index];
      },
    };
  }
  if (Array.isArray(value)) {
    if (value.every((entry) => typeof entry === 'number')) {
      const array = value as number[];
      return {
        shape: [array.length],
        dtype: undefined,
        read: (target, offset) => {
          for (let index = 0; index < array.length; index++) target[offset + index] = array[index];
        },
      };
    }
    const nested = tensor(value as NestedArray, { dtype: 'float64' });
    return { shape: nested.shape, dtype: undefined, read: (target, offset) => target.set(nested.data, offset) };
  }
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `sample ${position} of the batch has a ${side} of type ${Object.prototype.toString.call(value)}; the default collate stacks tensors, numbers, number arrays and typed arrays (pass a custom collate for anything else)`,
  );
}

/** A plain object of named values (a record side), as opposed to a tensor, number or array. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Tensor) &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value)
  );
}

/** Stacks one side of every sample: one `[batch, ...shape]` tensor, or one per name when the side is a record. */
function stackSide(
  samples: readonly unknown[],
  side: 'input' | 'target',
  dtype: DType | undefined,
  allocateArray: BatchAllocator,
): Tensor | TensorRecord {
  const first = (samples[0] as Record<string, unknown>)[side];
  if (!isRecord(first))
    return stackValues(
      samples.map((sample) => (sample as Record<string, unknown>)[side]),
      side,
      `${side}s`,
      dtype,
      allocateArray,
    );
  const names = Object.keys(first);
  const result: Record<string, Tensor> = {};
  for (const name of names) {
    const values = samples.map((sample, position) => {
      const record = (sample as Record<string, unknown>)[side];
      if (!isRecord(record) || !(name in record)) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'defaultCollate',
          `sample ${position} of the batch has no ${side} named ${JSON.stringify(name)} but sample 0 has { ${names.join(', ')} }; samples of one batch must share their names`,
        );
      }
      return record[name];
    });
    result[name] = stackValues(values, `${side} ${JSON.stringify(name)}`, `${side}s.${name}`, dtype, allocateArray);
  }
  return result;
}

/** Stacks the values of one side (or one name of it) into a `[batch, ...shape]` tensor. */
function stackValues(
  values: readonly unknown[],
  side: string,
  bufferName: string,
  dtype: DType | undefined,
  allocateArray: BatchAllocator,
): Tensor {
  const operation = 'defaultCollate';
  const flats = values.map((value, position) => flatten(value, operation, side, position));
  const first = flats[0];
  for (let position = 1; position < flats.length; position++) {
    if (!shapesEqual(flats[position].shape, first.shape)) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `sample ${position} of the batch has ${side} shape ${formatShape(flats[position].shape)} but sample 0 has ${formatShape(first.shape)}; samples of one batch must share their shapes`,
      );
    }
  }
  const resolved = first.dtype ?? dtype ?? 'float32';
  const rowSize = sizeOf(first.shape);
  const data = allocateArray(bufferName, resolved, rowSize * flats.length);
  for (let position = 0; position < flats.length; position++) flats[position].read(data, position * rowSize);
  return new Tensor(data, [flats.length, ...first.shape]);
}

/**
 * Stacks samples `{ input, target }` into `{ inputs, targets }` with a new first (batch)
 * dimension. Each side may be a tensor (its dtype is kept), a number, a flat or nested number
 * array, or a typed array; all samples of a batch must share shapes. A side may also be a record
 * of such values (`{ image, extra }`, for a model of several inputs or outputs): each name is
 * stacked on its own and the batch side is a record of tensors ({@link NamedBatch}).
 *
 * @example
 * defaultCollate([{ input: [1, 2], target: 0 }, { input: [3, 4], target: 1 }]);
 * // { inputs: [[1, 2], [3, 4]] (float32), targets: [0, 1] }
 * defaultCollate<NamedBatch>([{ input: { image: [1, 2], extra: 5 }, target: 0 }]);
 * // { inputs: { image: [[1, 2]], extra: [5] }, targets: [0] }
 */
export function defaultCollate<B extends NamedBatch = Batch>(
  samples: readonly unknown[],
  dtypes: CollateDTypes = {},
  allocateArray: BatchAllocator = freshArrays,
): B {
  if (samples.length === 0) throw new AnnetError('INVALID_ARGUMENT', 'defaultCollate', 'cannot collate an empty batch');
  for (let position = 0; position < samples.length; position++) {
    const sample = samples[position];
    if (typeof sample !== 'object' || sample === null || !('input' in sample) || !('target' in sample)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'defaultCollate',
        `sample ${position} of the batch is not shaped { input, target } (got ${Object.prototype.toString.call(sample)}); map the dataset to that shape or pass a custom collate`,
      );
    }
  }
  return {
    inputs: stackSide(samples, 'input', dtypes.inputs, allocateArray),
    targets: stackSide(samples, 'target', dtypes.targets, allocateArray),
  } as B;
}
