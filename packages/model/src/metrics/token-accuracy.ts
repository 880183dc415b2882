import type { JsonObject } from '@annet/layer-api';
import { AnnetError, formatShape, type Tensor } from '@annet/tensor';
import { readCount } from './classification.js';
import type { Metric } from './metric.js';

/**
 * Options of {@link TokenAccuracy}.
 *
 * @example
 * const options: TokenAccuracyOptions = { ignoreIndex: -1 };
 */
export interface TokenAccuracyOptions {
  /** Key in logs and history; default `tokenAccuracy`. */
  readonly name?: string;
  /** A target label whose positions are not counted at all (padding), as the loss's `ignoreIndex`. Default: none. */
  readonly ignoreIndex?: number;
}

/**
 * Accuracy over positions of sequences: predictions `[..., C]` (such as `[batch, time, C]`
 * logits), targets class labels shaped like the predictions without the class axis; positions
 * labelled `ignoreIndex` count neither as hits nor as positions:
 * `tokenAccuracy = Σ [argmax p_n = y_n] / #{n : y_n ≠ ignoreIndex}` over every batch since the
 * last reset (arg-max: the first on ties). Its counters are plain JSON, so it resumes mid-epoch.
 *
 * @example
 * const metric = new TokenAccuracy({ ignoreIndex: -1 });
 * metric.update(logits, tags); // logits [32, 40, 12], tags [32, 40] with -1 at padding
 * metric.result();
 */
export class TokenAccuracy implements Metric {
  readonly name: string;
  /** The label that is not counted, or undefined. */
  readonly ignoreIndex: number | undefined;
  private hits = 0;
  private positions = 0;

  constructor(options: TokenAccuracyOptions = {}) {
    this.name = options.name ?? 'tokenAccuracy';
    if (options.ignoreIndex !== undefined && !Number.isInteger(options.ignoreIndex)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.name,
        `ignoreIndex must be an integer, got ${String(options.ignoreIndex)}`,
      );
    }
    this.ignoreIndex = options.ignoreIndex;
  }

  update(predictions: Tensor, targets: Tensor): void {
    const shape = predictions.shape;
    const rank = shape.length;
    const labelsFit =
      rank >= 2 && targets.shape.length === rank - 1 && targets.shape.every((size, axis) => size === shape[axis]);
    if (!labelsFit || shape[rank - 1] < 1) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.name,
        `expected predictions [..., classes] and class labels shaped like them without the class axis, got predictions ${formatShape(shape)} and targets ${formatShape(targets.shape)}`,
      );
    }
    const classes = shape[rank - 1];
    const scores = predictions.contiguous();
    const labels = targets.contiguous();
    const count = labels.size;
    let hits = 0;
    let positions = 0;
    for (let position = 0; position < count; position++) {
      const label = labels.data[labels.offset + position];
      if (label === this.ignoreIndex) continue;
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        const hint = this.ignoreIndex === undefined ? '' : ` or the ignoreIndex ${this.ignoreIndex}`;
        throw new AnnetError(
          'INVALID_ARGUMENT',
          this.name,
          `target ${label} at position ${position} is not a class index in [0, ${classes})${hint}`,
        );
      }
      const start = scores.offset + position * classes;
      let best = 0;
      for (let column = 1; column < classes; column++)
        if (scores.data[start + column] > scores.data[start + best]) best = column;
      if (best === label) hits++;
      positions++;
    }
    this.hits += hits;
    this.positions += positions;
  }

  result(): number {
    return this.positions === 0 ? Number.NaN : this.hits / this.positions;
  }

  reset(): void {
    this.hits = 0;
    this.positions = 0;
  }

  state(): JsonObject {
    return { correct: this.hits, count: this.positions };
  }

  setState(state: JsonObject): void {
    const hits = readCount(state, 'correct', this.name);
    const positions = readCount(state, 'count', this.name);
    this.hits = hits;
    this.positions = positions;
  }
}

/**
 * {@link TokenAccuracy} of one batch.
 *
 * @example
 * tokenAccuracy(tensor([[[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]]), tensor([[0, 0, -1]]), { ignoreIndex: -1 }); // 0.5
 */
export function tokenAccuracy(predictions: Tensor, targets: Tensor, options: TokenAccuracyOptions = {}): number {
  const metric = new TokenAccuracy(options);
  metric.update(predictions, targets);
  return metric.result();
}
