import { AnnetError, type Tensor } from '@annet/tensor';
import { affineFeatures, checkFeatures, checkNoNaN, featureMatrix, readNumbers } from './feature-matrix.js';

/**
 * A fitted {@link MinMaxScaler} as JSON.
 *
 * @example
 * MinMaxScaler.fromJSON({ kind: 'MinMaxScaler', featureRange: [0, 1], count: 2, min: [0], max: [10] });
 */
export interface MinMaxScalerState {
  /** Always `'MinMaxScaler'`. */
  readonly kind: 'MinMaxScaler';
  /** The output range `[low, high]`. */
  readonly featureRange: [number, number];
  /** Samples seen while fitting. */
  readonly count: number;
  /** Per-feature minimum of the training data. */
  readonly min: number[];
  /** Per-feature maximum of the training data. */
  readonly max: number[];
}

/**
 * Options of {@link MinMaxScaler}.
 *
 * @example
 * new MinMaxScaler({ featureRange: [-1, 1] });
 */
export interface MinMaxScalerOptions {
  /** The range training data is mapped onto (default `[0, 1]`). */
  readonly featureRange?: readonly [number, number];
}

/**
 * Scales each feature linearly so the training data spans `featureRange`:
 * `x' = (x - min) / (max - min) · (high - low) + low`. A constant feature uses `max - min = 1`
 * (as scikit-learn), so it maps to `low`. Fit on training data, export with `toJSON`.
 *
 * @example
 * const scaler = new MinMaxScaler({ featureRange: [-1, 1] }).fit(trainInputs);
 * const scaled = scaler.transform(testInputs);
 */
export class MinMaxScaler {
  private readonly low: number;
  private readonly high: number;
  private count = 0;
  private min = new Float64Array(0);
  private max = new Float64Array(0);

  constructor(options: MinMaxScalerOptions = {}) {
    [this.low, this.high] = options.featureRange ?? [0, 1];
    if (!Number.isFinite(this.low) || !Number.isFinite(this.high) || this.low >= this.high) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'MinMaxScaler',
        `featureRange must be finite with low < high, got ${JSON.stringify(options.featureRange)}`,
      );
    }
  }

  /** Fits on `data` (`[samples, ...features]`), forgetting earlier fits. */
  fit(data: Tensor): this {
    this.count = 0;
    return this.partialFit(data);
  }

  /** Widens the fitted minima and maxima with `data`. */
  partialFit(data: Tensor): this {
    const matrix = featureMatrix(data, 'MinMaxScaler.fit');
    checkNoNaN(matrix, 'MinMaxScaler.fit');
    if (this.count === 0) {
      this.min = new Float64Array(matrix.features).fill(Infinity);
      this.max = new Float64Array(matrix.features).fill(-Infinity);
    } else checkFeatures(matrix, this.min.length, 'MinMaxScaler.partialFit');
    const { data: values, features } = matrix;
    for (let index = 0; index < values.length; index++) {
      const feature = index % features;
      if (values[index] < this.min[feature]) this.min[feature] = values[index];
      if (values[index] > this.max[feature]) this.max[feature] = values[index];
    }
    this.count += matrix.rows;
    return this;
  }

  /** Per-feature multiplier `(high - low) / (max - min)`. */
  private multipliers(): Float64Array {
    return this.min.map((minimum, feature) => (this.high - this.low) / (this.max[feature] - minimum || 1));
  }

  /** The scaled data, as a new float tensor of the same shape. */
  transform(data: Tensor): Tensor {
    const matrix = this.checked(data, 'transform');
    return affineFeatures(matrix, this.min, this.multipliers(), new Float64Array(this.min.length).fill(this.low));
  }

  /** Undoes {@link MinMaxScaler.transform}. */
  inverseTransform(data: Tensor): Tensor {
    const matrix = this.checked(data, 'inverseTransform');
    return affineFeatures(
      matrix,
      new Float64Array(this.min.length).fill(this.low),
      this.multipliers().map((multiplier) => 1 / multiplier),
      this.min,
    );
  }

  /** The fitted statistics as JSON. */
  toJSON(): MinMaxScalerState {
    this.checked(undefined, 'toJSON');
    return {
      kind: 'MinMaxScaler',
      featureRange: [this.low, this.high],
      count: this.count,
      min: Array.from(this.min),
      max: Array.from(this.max),
    };
  }

  /** A scaler with the statistics of a {@link MinMaxScalerState}. */
  static fromJSON(state: MinMaxScalerState): MinMaxScaler {
    const operation = 'MinMaxScaler.fromJSON';
    if (state?.kind !== 'MinMaxScaler')
      throw new AnnetError(
        'INVALID_STATE',
        operation,
        `kind is ${JSON.stringify(state?.kind)}, expected "MinMaxScaler"`,
      );
    if (!Number.isSafeInteger(state.count) || state.count < 1)
      throw new AnnetError(
        'INVALID_STATE',
        operation,
        `count must be a positive integer, got ${JSON.stringify(state.count)}`,
      );
    const range = readNumbers(state.featureRange, 'featureRange', operation, 2);
    const scaler = new MinMaxScaler({ featureRange: [range[0], range[1]] });
    scaler.min = readNumbers(state.min, 'min', operation);
    scaler.max = readNumbers(state.max, 'max', operation, scaler.min.length);
    if (scaler.min.some((minimum, feature) => minimum > scaler.max[feature]))
      throw new AnnetError('INVALID_STATE', operation, 'every min must be <= its max');
    scaler.count = state.count;
    return scaler;
  }

  private checked(data: Tensor | undefined, operation: string) {
    if (this.count === 0)
      throw new AnnetError(
        'INVALID_STATE',
        `MinMaxScaler.${operation}`,
        'the scaler is not fitted; call fit(trainingInputs) first',
      );
    if (data === undefined) return undefined as never;
    const matrix = featureMatrix(data, `MinMaxScaler.${operation}`);
    checkFeatures(matrix, this.min.length, `MinMaxScaler.${operation}`);
    return matrix;
  }
}
