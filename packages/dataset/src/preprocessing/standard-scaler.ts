import { AnnetError, type Tensor } from '@annet/tensor';
import { affineFeatures, checkFeatures, checkNoNaN, featureMatrix, readNumbers } from './feature-matrix.js';

/**
 * A fitted {@link StandardScaler} as JSON: enough to apply the same transform at inference.
 *
 * @example
 * StandardScaler.fromJSON({ kind: 'StandardScaler', count: 10, mean: [0.5], variance: [0.25] });
 */
export interface StandardScalerState {
  /** Always `'StandardScaler'`. */
  readonly kind: 'StandardScaler';
  /** Samples seen while fitting. */
  readonly count: number;
  /** Per-feature mean. */
  readonly mean: number[];
  /** Per-feature population variance (divided by `count`). */
  readonly variance: number[];
}

/**
 * Standardizes features: `z = (x - mean) / std` per feature, with the population standard
 * deviation (a constant feature gets `std = 1`, as scikit-learn). Fit on the training data
 * only, export with `toJSON`, and apply the same statistics at inference. `partialFit` merges
 * batches with Chan, Golub and LeVeque's pairwise update, so a stream can be fitted in chunks.
 *
 * @example
 * const scaler = new StandardScaler().fit(trainInputs);
 * const saved = JSON.stringify(scaler.toJSON());
 * const z = StandardScaler.fromJSON(JSON.parse(saved)).transform(testInputs);
 */
export class StandardScaler {
  private count = 0;
  private mean = new Float64Array(0);
  private sumSquares = new Float64Array(0);

  /** Fits on `data` (`[samples, ...features]`), forgetting earlier fits. */
  fit(data: Tensor): this {
    this.count = 0;
    return this.partialFit(data);
  }

  /** Adds `data` to the statistics fitted so far. */
  partialFit(data: Tensor): this {
    const matrix = featureMatrix(data, 'StandardScaler.fit');
    checkNoNaN(matrix, 'StandardScaler.fit');
    if (this.count === 0) {
      this.mean = new Float64Array(matrix.features);
      this.sumSquares = new Float64Array(matrix.features);
    } else checkFeatures(matrix, this.mean.length, 'StandardScaler.partialFit');
    if (matrix.rows === 0) return this;
    // Two passes over the batch for its own mean and squared deviations, then one merge.
    const batchMean = new Float64Array(matrix.features);
    const batchSquares = new Float64Array(matrix.features);
    const { data: values, features, rows } = matrix;
    for (let index = 0; index < values.length; index++) batchMean[index % features] += values[index];
    for (let feature = 0; feature < features; feature++) batchMean[feature] /= rows;
    for (let index = 0; index < values.length; index++) {
      const deviation = values[index] - batchMean[index % features];
      batchSquares[index % features] += deviation * deviation;
    }
    const total = this.count + rows;
    for (let feature = 0; feature < features; feature++) {
      const delta = batchMean[feature] - this.mean[feature];
      this.mean[feature] += (delta * rows) / total;
      this.sumSquares[feature] += batchSquares[feature] + (delta * delta * this.count * rows) / total;
    }
    this.count = total;
    return this;
  }

  /** Per-feature population variance. */
  get variance(): Float64Array {
    this.checkFitted('variance');
    return this.sumSquares.map((sum) => sum / this.count);
  }

  /** Per-feature divisor: the standard deviation, or 1 for a constant feature. */
  get scale(): Float64Array {
    return this.variance.map((variance) => (variance > 0 ? Math.sqrt(variance) : 1));
  }

  /** `(x - mean) / scale`, as a new float tensor of the same shape. */
  transform(data: Tensor): Tensor {
    this.checkFitted('transform');
    const matrix = featureMatrix(data, 'StandardScaler.transform');
    checkFeatures(matrix, this.mean.length, 'StandardScaler.transform');
    return affineFeatures(
      matrix,
      this.mean,
      this.scale.map((scale) => 1 / scale),
      new Float64Array(this.mean.length),
    );
  }

  /** `z * scale + mean`: undoes {@link StandardScaler.transform}. */
  inverseTransform(data: Tensor): Tensor {
    this.checkFitted('inverseTransform');
    const matrix = featureMatrix(data, 'StandardScaler.inverseTransform');
    checkFeatures(matrix, this.mean.length, 'StandardScaler.inverseTransform');
    return affineFeatures(matrix, new Float64Array(this.mean.length), this.scale, this.mean);
  }

  /** The fitted statistics as JSON. */
  toJSON(): StandardScalerState {
    this.checkFitted('toJSON');
    return {
      kind: 'StandardScaler',
      count: this.count,
      mean: Array.from(this.mean),
      variance: Array.from(this.variance),
    };
  }

  /** A scaler with the statistics of a {@link StandardScalerState}; `partialFit` can continue it. */
  static fromJSON(state: StandardScalerState): StandardScaler {
    const operation = 'StandardScaler.fromJSON';
    if (state?.kind !== 'StandardScaler')
      throw new AnnetError(
        'INVALID_STATE',
        operation,
        `kind is ${JSON.stringify(state?.kind)}, expected "StandardScaler"`,
      );
    if (!Number.isSafeInteger(state.count) || state.count < 1)
      throw new AnnetError(
        'INVALID_STATE',
        operation,
        `count must be a positive integer, got ${JSON.stringify(state.count)}`,
      );
    const mean = readNumbers(state.mean, 'mean', operation);
    const variance = readNumbers(state.variance, 'variance', operation, mean.length);
    if (variance.some((value) => value < 0))
      throw new AnnetError('INVALID_STATE', operation, 'variance must be non-negative');
    const scaler = new StandardScaler();
    scaler.count = state.count;
    scaler.mean = mean;
    scaler.sumSquares = variance.map((value) => value * state.count);
    return scaler;
  }

  private checkFitted(operation: string): void {
    if (this.count === 0)
      throw new AnnetError(
        'INVALID_STATE',
        `StandardScaler.${operation}`,
        'the scaler is not fitted; call fit(trainingInputs) first',
      );
  }
}
