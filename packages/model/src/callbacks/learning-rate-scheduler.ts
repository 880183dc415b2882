import type { JsonObject } from '@annet/layer-api';
import { constantSchedule, sequentialSchedule, type ConstantSchedule, type PureSchedule } from '@annet/optimizers';
import { AnnetError } from '@annet/tensor';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback } from './callback.js';

/**
 * Options of {@link LearningRateScheduler}.
 *
 * @example
 * new LearningRateScheduler((epoch) => 0.1 * 0.5 ** epoch, { epochs: 20, stepsPerEpoch: Math.ceil(8000 / 64) });
 */
export interface LearningRateSchedulerOptions {
  /** Epochs the schedule covers (the `epochs` of `fit`). */
  readonly epochs: number;
  /** Optimizer steps per epoch: `ceil(trainingSamples / batchSize)` (floor with `dropLast`). */
  readonly stepsPerEpoch: number;
}

/**
 * Keras's `LearningRateScheduler` (a learning rate per epoch from a function of the epoch) in
 * annet's form. An annet optimizer's learning rate is a schedule config evaluated at its step
 * count and saved with it, so rather than poking a new rate into the optimizer at every epoch,
 * this turns the function into that config up front: constant pieces with milestones at epoch
 * boundaries ({@link LearningRateScheduler.schedule}). Build the optimizer with it and pass the
 * callback to `fit`, which checks at the start of every epoch that the optimizer follows it (so a
 * wrong `stepsPerEpoch` fails loudly instead of shifting the schedule). Resuming needs nothing
 * extra: the schedule lives in the optimizer's config, its position in the step count.
 *
 * @example
 * const scheduler = new LearningRateScheduler((epoch) => (epoch < 5 ? 1e-3 : 1e-4), { epochs: 10, stepsPerEpoch: 125 });
 * const optimizer = new Adam({ learningRate: scheduler.schedule });
 * await model.fit(train, { optimizer, loss, epochs: 10, batchSize: 64, callbacks: [scheduler] });
 */
export class LearningRateScheduler implements Callback {
  readonly name = 'learningRateScheduler';
  /** The optimizer schedule: one constant piece per epoch (pieces with equal rates merged). */
  readonly schedule: PureSchedule;
  /** The learning rate of every epoch, `rateOf(epoch)`. */
  readonly rates: readonly number[];
  readonly stepsPerEpoch: number;

  constructor(rateOf: (epoch: number) => number, options: LearningRateSchedulerOptions) {
    const operation = 'LearningRateScheduler';
    for (const [name, value] of [
      ['epochs', options?.epochs],
      ['stepsPerEpoch', options?.stepsPerEpoch],
    ] as const) {
      if (!Number.isSafeInteger(value) || (value as number) < 1)
        throw new AnnetError('INVALID_ARGUMENT', operation, `${name} must be a positive integer, got ${value}`);
    }
    this.stepsPerEpoch = options.stepsPerEpoch;
    this.rates = Array.from({ length: options.epochs }, (_, epoch) => {
      const rate = rateOf(epoch);
      if (!(Number.isFinite(rate) && rate >= 0))
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `the function gave learning rate ${rate} for epoch ${epoch}; expected a finite number >= 0`,
        );
      return rate;
    });
    const pieces: ConstantSchedule[] = [];
    const milestones: number[] = [];
    this.rates.forEach((rate, epoch) => {
      if (pieces.length > 0 && pieces[pieces.length - 1].learningRate === rate) return;
      if (epoch > 0) milestones.push(epoch * this.stepsPerEpoch);
      pieces.push(constantSchedule({ learningRate: rate }));
    });
    this.schedule = pieces.length === 1 ? pieces[0] : sequentialSchedule(pieces, milestones);
  }

  onEpochBegin(context: TrainingContext): void {
    const expected = this.rates[Math.min(context.epoch, this.rates.length - 1)];
    const actual = context.optimizer.currentLearningRate();
    const aligned = context.optimizer.stepCount === context.epoch * this.stepsPerEpoch;
    if (actual !== expected || !aligned) {
      throw new AnnetError(
        'INVALID_STATE',
        'LearningRateScheduler',
        `at the start of epoch ${context.epoch + 1} the optimizer is at step ${context.optimizer.stepCount} with learning rate ${actual}, but the schedule expects step ${context.epoch * this.stepsPerEpoch} and rate ${expected}; build the optimizer with { learningRate: scheduler.schedule } and set stepsPerEpoch to the batches per epoch (${context.batchesPerEpoch})`,
      );
    }
  }

  /** Nothing to save: the schedule is part of the optimizer's config. */
  getState(): JsonObject {
    return {};
  }

  setState(): void {}
}
