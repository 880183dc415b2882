import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, formatShape } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { inputShapeError } from '../layer-errors.js';
import { ReshapingLayer } from './reshaping-layer.js';

/**
 * Reshapes every sample, keeping the batch axis: [N, …] → [N, ...targetShape]. One entry of
 * `targetShape` may be −1 (inferred). A view of a contiguous input (a copy otherwise).
 *
 * @example
 * new Reshape([1, 28, 28]).forward(zeros([32, 784])).shape; // [32, 1, 28, 28]
 */
export class Reshape extends ReshapingLayer {
  /** The per-sample shape, without the batch axis. */
  readonly targetShape: readonly number[];

  constructor(targetShape: readonly number[], options: LayerOptions = {}) {
    super('Reshape', 'reshape', options);
    const valid =
      Array.isArray(targetShape) &&
      targetShape.every((dimension) => Number.isSafeInteger(dimension) && dimension >= -1) &&
      targetShape.filter((dimension) => dimension === -1).length <= 1;
    if (!valid) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `targetShape must be non-negative integers with at most one -1, got ${JSON.stringify(targetShape)}`,
      );
    }
    this.targetShape = targetShape.slice();
  }

  /** Rebuilds a Reshape from {@link Reshape.getConfig}. */
  static fromConfig(config: LayerConfig): Reshape {
    return new Reshape(config.targetShape as number[], config as LayerOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { targetShape: this.targetShape.slice() };
  }

  /** [N, …] → [N, ...targetShape] with −1 resolved (kept −1 when N is unknown). */
  outputShape(inputShape: readonly number[]): number[] {
    const expected = `[*,${this.targetShape.join(',')}] worth of elements`;
    if (inputShape.length < 1) throw inputShapeError(this.operation, expected, inputShape);
    const sampleSize = inputShape.slice(1).reduce((product, dimension) => product * dimension, 1);
    const known = this.targetShape.reduce(
      (product, dimension) => (dimension === -1 ? product : product * dimension),
      1,
    );
    const unknown = this.targetShape.indexOf(-1);
    const target = this.targetShape.slice();
    if (unknown !== -1) {
      if (known === 0 || sampleSize % known !== 0) throw this.mismatch(inputShape);
      target[unknown] = sampleSize / known;
    } else if (known !== sampleSize) {
      throw this.mismatch(inputShape);
    }
    return [inputShape[0], ...target];
  }

  private mismatch(inputShape: readonly number[]): AnnetError {
    return new AnnetError(
      'SHAPE_MISMATCH',
      this.operation,
      `cannot reshape samples of input ${formatShape(inputShape)} into ${formatShape(this.targetShape)}`,
    );
  }
}
