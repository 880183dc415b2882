import { AnnetError, formatValue } from '../annet-error.js';
import { parametersOf } from '../core/step.js';
import type { StepTarget } from '../core/types.js';

/** Options of {@link GradientAccumulator}. */
export interface GradientAccumulatorOptions {
  /** Micro-batches per optimizer step (k >= 1). */
  readonly steps: number;
  /** Hand the optimizer the mean of the k gradients (default) rather than their sum. */
  readonly average?: boolean;
}

interface Sum {
  readonly values: Float64Array;
  /** The cycle in which `values` was last started. */
  cycle: number;
}

/**
 * Accumulates gradients over k micro-batches, for an effective batch k times larger than memory
 * allows. Layers overwrite `grad` on every backward pass, so after each one call `accumulate`;
 * it returns `true` on every k-th call, having written the mean (or sum) of the k gradients into
 * each parameter's `grad`, ready for `optimizer.step`. Sums are kept in float64 and buffers are
 * reused, keyed by parameter name. Partial sums are not serialized: save checkpoints right after
 * an optimizer step, when `count` is 0.
 *
 * @example
 * const accumulator = new GradientAccumulator({ steps: 4 });
 * for (const microBatch of microBatches) {
 *   model.backward(lossGradient(model.forward(microBatch.inputs), microBatch.targets));
 *   if (accumulator.accumulate(model)) optimizer.step(model);
 * }
 */
export class GradientAccumulator {
  readonly #steps: number;
  readonly #average: boolean;
  readonly #sums = new Map<string, Sum>();
  #count = 0;
  #cycle = 0;

  constructor(options: GradientAccumulatorOptions) {
    const steps = options?.steps;
    if (!Number.isSafeInteger(steps) || steps < 1) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'GradientAccumulator',
        `steps must be an integer >= 1 (micro-batches per optimizer step), got ${formatValue(steps)}`,
      );
    }
    if (options.average !== undefined && typeof options.average !== 'boolean') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'GradientAccumulator',
        `average must be true or false, got ${formatValue(options.average)}`,
      );
    }
    this.#steps = steps;
    this.#average = options.average ?? true;
  }

  /** Micro-batches accumulated since the last release (0 to k − 1). */
  get count(): number {
    return this.#count;
  }

  /**
   * Adds the current gradients of `target`'s trainable parameters. On the k-th call writes the
   * mean (or sum) into each `grad`, starts a new cycle and returns `true`; otherwise `false`.
   */
  accumulate(target: StepTarget): boolean {
    const parameters = parametersOf(target, 'GradientAccumulator.accumulate');
    for (const parameter of parameters) {
      if (parameter.trainable === false) continue;
      const gradient = parameter.grad;
      let sum = this.#sums.get(parameter.name);
      if (sum === undefined || sum.values.length !== gradient.length) {
        sum = { values: new Float64Array(gradient.length), cycle: -1 };
        this.#sums.set(parameter.name, sum);
      }
      const values = sum.values;
      if (sum.cycle !== this.#cycle) {
        // First contribution in this cycle: overwrite rather than clear then add.
        for (let i = 0; i < values.length; i++) values[i] = gradient[i];
        sum.cycle = this.#cycle;
      } else {
        for (let i = 0; i < values.length; i++) values[i] += gradient[i];
      }
    }
    this.#count += 1;
    if (this.#count < this.#steps) return false;
    const divisor = this.#average ? this.#steps : 1;
    for (const parameter of parameters) {
      const sum = this.#sums.get(parameter.name);
      if (parameter.trainable === false || sum === undefined || sum.cycle !== this.#cycle) continue;
      const gradient = parameter.grad;
      for (let i = 0; i < gradient.length; i++) gradient[i] = sum.values[i] / divisor;
    }
    this.#count = 0;
    this.#cycle += 1;
    return true;
  }

  /** Drops the micro-batches accumulated so far. */
  reset(): void {
    this.#count = 0;
    this.#cycle += 1;
  }
}
