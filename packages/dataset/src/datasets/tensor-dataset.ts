import { AnnetError, Tensor, formatShape, sizeOf, type DType, type TypedArray } from '@annet/tensor';
import { checkIndex } from './check-index.js';
import { MapDataset } from './map-dataset.js';
import type { RowSource, Sample } from './sample.js';

/**
 * Inputs or targets of a {@link TensorDataset}: a tensor whose first dimension indexes samples, or a typed array.
 *
 * @example
 * const labels: TensorSource = new Int32Array([0, 1, 1]);
 */
export type TensorSource = Tensor | Float32Array | Float64Array | Int32Array;

/**
 * Options of {@link TensorDataset}.
 *
 * @example
 * new TensorDataset(new Float32Array(6 * 4), new Int32Array(6), { inputShape: [2, 2] });
 */
export interface TensorDatasetOptions {
  /** Shape of one input when `inputs` is a typed array (default `[]`, one number per sample). */
  readonly inputShape?: readonly number[];
  /** Shape of one target when `targets` is a typed array (default `[]`, one number per sample). */
  readonly targetShape?: readonly number[];
}

/** A contiguous row-major array with its per-sample shape. */
interface Rows {
  readonly data: TypedArray;
  readonly start: number;
  readonly dtype: DType;
  readonly sampleShape: readonly number[];
  readonly rowSize: number;
  readonly count: number;
}

function toRows(source: TensorSource, sampleShape: readonly number[] | undefined, side: string): Rows {
  let data: TypedArray;
  let shape: readonly number[];
  let start = 0;
  if (source instanceof Tensor) {
    if (source.rank === 0)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'TensorDataset',
        `${side} must have a sample dimension first, got a scalar`,
      );
    const contiguous = source.isContiguous ? source : source.contiguous(true);
    data = contiguous.data;
    start = contiguous.offset;
    shape = contiguous.shape;
  } else if (source instanceof Float32Array || source instanceof Float64Array || source instanceof Int32Array) {
    const per = sizeOf(sampleShape ?? []);
    if (per === 0 || source.length % per !== 0) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'TensorDataset',
        `${side} has ${source.length} elements, which is not a whole number of samples of shape ${formatShape(sampleShape ?? [])}`,
      );
    }
    data = source;
    shape = [source.length / per, ...(sampleShape ?? [])];
  } else {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'TensorDataset',
      `${side} must be a Tensor, Float32Array, Float64Array or Int32Array, got ${Object.prototype.toString.call(source)}`,
    );
  }
  const dtype: DType = data instanceof Float32Array ? 'float32' : data instanceof Float64Array ? 'float64' : 'int32';
  return { data, start, dtype, sampleShape: shape.slice(1), rowSize: sizeOf(shape.slice(1)), count: shape[0] };
}

/** Copies `size` elements; a plain loop for short rows, where `subarray` would cost more than it saves. */
function copyElements(source: TypedArray, from: number, target: TypedArray, to: number, size: number): void {
  if (size <= 16) {
    for (let element = 0; element < size; element++) target[to + element] = source[from + element];
  } else {
    target.set(source.subarray(from, from + size), to);
  }
}

/**
 * Samples that are rows of two tensors sharing their first dimension: sample `i` is
 * `{ input: inputs[i], target: targets[i] }`. `get` returns views (no copy); the
 * {@link DataLoader} copies rows straight into batch buffers. For an autoencoder pass the same
 * tensor twice.
 *
 * @example
 * const dataset = new TensorDataset(images, labels); // images [60000, 784], labels [60000]
 * dataset.get(0).input.shape; // [784]
 */
export class TensorDataset extends MapDataset<Sample> {
  readonly length: number;
  private readonly inputRows: Rows;
  private readonly targetRows: Rows;

  constructor(inputs: TensorSource, targets: TensorSource, options: TensorDatasetOptions = {}) {
    super();
    this.inputRows = toRows(inputs, options.inputShape, 'inputs');
    this.targetRows = toRows(targets, options.targetShape, 'targets');
    if (this.inputRows.count !== this.targetRows.count) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'TensorDataset',
        `inputs have ${this.inputRows.count} samples but targets have ${this.targetRows.count}; the first dimensions must agree`,
      );
    }
    this.length = this.inputRows.count;
  }

  /** The inputs as one tensor `[length, ...inputShape]` (a view, no copy). */
  get inputs(): Tensor {
    const rows = this.inputRows;
    return new Tensor(rows.data, [rows.count, ...rows.sampleShape], undefined, rows.start);
  }

  /** The targets as one tensor `[length, ...targetShape]` (a view, no copy). */
  get targets(): Tensor {
    const rows = this.targetRows;
    return new Tensor(rows.data, [rows.count, ...rows.sampleShape], undefined, rows.start);
  }

  get(index: number): Sample {
    checkIndex(index, this.length, 'TensorDataset.get');
    return { input: rowView(this.inputRows, index), target: rowView(this.targetRows, index) };
  }

  override rows(): RowSource {
    const input = this.inputRows;
    const target = this.targetRows;
    return {
      input: { dtype: input.dtype, shape: input.sampleShape },
      target: { dtype: target.dtype, shape: target.sampleShape },
      copyRow(index, inputs, inputOffset, targets, targetOffset) {
        copyElements(input.data, input.start + index * input.rowSize, inputs, inputOffset, input.rowSize);
        copyElements(target.data, target.start + index * target.rowSize, targets, targetOffset, target.rowSize);
      },
    };
  }
}

function rowView(rows: Rows, index: number): Tensor {
  return new Tensor(rows.data, rows.sampleShape, undefined, rows.start + index * rows.rowSize);
}
