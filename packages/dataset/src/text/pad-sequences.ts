import { AnnetError, Tensor, type DType, type TypedArray } from '@annet/tensor';

/**
 * One variable-length sequence: a flat array of `length` values, or a tensor `[length, ...features]`
 * (such as the character ids of each word, `[length, characters]`).
 *
 * @example
 * const sequence: SequenceValues = Int32Array.from([4, 9, 2]);
 */
export type SequenceValues = ArrayLike<number> | Tensor;

/**
 * Options of {@link padSequences}.
 *
 * @example
 * padSequences([[1, 2, 3], [4]], { value: 0, maxLength: 64, dtype: 'int32' });
 */
export interface PadOptions {
  /** The value of padded positions (default 0). */
  readonly value?: number;
  /** Refuse a sequence longer than this (default: no limit). */
  readonly maxLength?: number;
  /** Pad to this many steps instead of the longest sequence (must be ≥ the longest). */
  readonly length?: number;
  /** Element type of `values` for plain arrays (default `'int32'`; tensors keep theirs). */
  readonly dtype?: DType;
  /** Names the caller in messages (default `'padSequences'`). */
  readonly operation?: string;
}

/**
 * Sequences of different lengths in one rectangle.
 *
 * @example
 * const { values, lengths, mask } = padSequences([[1, 2, 3], [4]]);
 */
export interface PaddedSequences {
  /** `[batch, time, ...features]`, sequence `b` in rows `b`, steps `0 … lengths[b] − 1`, then the padding value. */
  readonly values: Tensor;
  /** int32 `[batch]`: each sequence's length. */
  readonly lengths: Tensor<'int32'>;
  /** float32 `[batch, time]`: 1 at real steps, 0 at padding. */
  readonly mask: Tensor<'float32'>;
}

interface Flat {
  readonly length: number;
  readonly features: readonly number[];
  readonly data: ArrayLike<number>;
  readonly dtype: DType | undefined;
}

function flatten(sequence: SequenceValues, position: number, operation: string): Flat {
  if (sequence instanceof Tensor) {
    if (sequence.shape.length === 0)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `sequence ${position} is a scalar; expected a tensor [length, ...features]`,
      );
    return {
      length: sequence.shape[0],
      features: sequence.shape.slice(1),
      data: sequence.toTypedArray(),
      dtype: sequence.dtype,
    };
  }
  if (sequence === null || typeof sequence !== 'object' || typeof sequence.length !== 'number') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `sequence ${position} is ${Object.prototype.toString.call(sequence)}; expected an array of numbers or a tensor`,
    );
  }
  return { length: sequence.length, features: [], data: sequence, dtype: undefined };
}

/**
 * Pads sequences to a common length (the longest, or `length`) and returns the rectangle, the
 * lengths and a mask. All sequences must share their feature shape; a sequence longer than
 * `maxLength` is refused with a typed error naming it (padding never truncates silently).
 *
 * @example
 * const { values, lengths, mask } = padSequences([[1, 2, 3], [4]]);
 * values.toArray(); // [[1, 2, 3], [4, 0, 0]]
 * lengths.toArray(); // [3, 1]
 * mask.toArray();    // [[1, 1, 1], [1, 0, 0]]
 */
export function padSequences(sequences: readonly SequenceValues[], options: PadOptions = {}): PaddedSequences {
  const operation = options.operation ?? 'padSequences';
  if (!Array.isArray(sequences) || sequences.length === 0)
    throw new AnnetError('INVALID_ARGUMENT', operation, 'expected a non-empty array of sequences');
  const flats = sequences.map((sequence, position) => flatten(sequence, position, operation));
  const features = flats[0].features;
  let longest = 0;
  flats.forEach((flat, position) => {
    if (flat.features.length !== features.length || flat.features.some((size, axis) => size !== features[axis])) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `sequence ${position} has steps of shape [${flat.features.join(',')}] but sequence 0 has [${features.join(',')}]`,
      );
    }
    if (options.maxLength !== undefined && flat.length > options.maxLength) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `sequence ${position} has ${flat.length} steps, more than the maximum of ${options.maxLength}; split or truncate it, or raise maxLength`,
      );
    }
    longest = Math.max(longest, flat.length);
  });
  const time = options.length ?? longest;
  if (!Number.isSafeInteger(time) || time < longest)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `length must be an integer >= the longest sequence (${longest}), got ${time}`,
    );
  const stepSize = features.reduce((product, size) => product * size, 1);
  const dtype = flats[0].dtype ?? options.dtype ?? 'int32';
  const values = allocate(dtype, sequences.length * time * stepSize);
  const padding = options.value ?? 0;
  if (padding !== 0) values.fill(padding as never);
  const lengths = new Int32Array(sequences.length);
  const mask = new Float32Array(sequences.length * time);
  flats.forEach((flat, row) => {
    const start = row * time * stepSize;
    const size = flat.length * stepSize;
    for (let index = 0; index < size; index++) values[start + index] = flat.data[index];
    lengths[row] = flat.length;
    mask.fill(1, row * time, row * time + flat.length);
  });
  return {
    values: new Tensor(values, [sequences.length, time, ...features]),
    lengths: new Tensor(lengths, [sequences.length]),
    mask: new Tensor(mask, [sequences.length, time]),
  };
}

function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    default:
      return new Float32Array(size);
  }
}
