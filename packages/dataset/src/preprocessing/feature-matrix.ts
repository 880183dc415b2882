import { AnnetError, Tensor, allocate, formatShape, type FloatDType } from '@annet/tensor';

/** A tensor seen as `rows × features`: the first axis indexes samples, the rest are features. */
export interface FeatureMatrix {
  /** Row-major elements (contiguous from 0). */
  readonly data: Float32Array | Float64Array | Int32Array;
  readonly rows: number;
  readonly features: number;
  readonly shape: readonly number[];
}

/** Views `data` as rows × features, copying only when it is not contiguous. */
export function featureMatrix(data: Tensor, operation: string): FeatureMatrix {
  if (!(data instanceof Tensor)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a Tensor of shape [samples, ...features], got ${Object.prototype.toString.call(data)}`,
    );
  }
  if (data.rank === 0)
    throw new AnnetError('SHAPE_MISMATCH', operation, 'expected a tensor with a sample axis first, got a scalar');
  const contiguous = data.isContiguous && data.offset === 0 ? data : data.contiguous(true);
  const rows = data.shape[0];
  const features =
    rows === 0 ? data.shape.slice(1).reduce((product, dimension) => product * dimension, 1) : data.size / rows;
  return { data: contiguous.data, rows, features, shape: data.shape };
}

/** Throws unless the matrix has `expected` features. */
export function checkFeatures(matrix: FeatureMatrix, expected: number, operation: string): void {
  if (matrix.features !== expected) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `the scaler was fitted on ${expected} features but got shape ${formatShape(matrix.shape)} (${matrix.features} features per sample)`,
    );
  }
}

/** Throws naming the row and feature of the first NaN, which would poison the statistics. */
export function checkNoNaN(matrix: FeatureMatrix, operation: string): void {
  const { data, features } = matrix;
  for (let index = 0; index < data.length; index++) {
    if (Number.isNaN(data[index])) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `NaN at sample ${Math.floor(index / features)}, feature ${index % features}; drop or fill missing values before fitting`,
      );
    }
  }
}

/** Applies `output = (input - shift[f]) * multiplier[f] + offset[f]` per feature into a new float tensor. */
export function affineFeatures(
  matrix: FeatureMatrix,
  shift: Float64Array,
  multiplier: Float64Array,
  offset: Float64Array,
): Tensor {
  const dtype: FloatDType = matrix.data instanceof Float64Array ? 'float64' : 'float32';
  const output = allocate(dtype, matrix.data.length);
  const { data, features } = matrix;
  for (let row = 0; row < matrix.rows; row++) {
    const base = row * features;
    for (let feature = 0; feature < features; feature++) {
      output[base + feature] = (data[base + feature] - shift[feature]) * multiplier[feature] + offset[feature];
    }
  }
  return new Tensor(output, matrix.shape);
}

/** Reads a JSON array of finite numbers (what the scalers export) or throws naming the field. */
export function readNumbers(
  value: unknown,
  field: string,
  operation: string,
  length?: number,
): Float64Array<ArrayBuffer> {
  if (
    !Array.isArray(value) ||
    !value.every((entry) => typeof entry === 'number' && Number.isFinite(entry)) ||
    (length !== undefined && value.length !== length)
  ) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `${field} must be an array of ${length ?? 'some'} finite numbers, got ${JSON.stringify(value)?.slice(0, 80)}`,
    );
  }
  return Float64Array.from(value as number[]);
}
