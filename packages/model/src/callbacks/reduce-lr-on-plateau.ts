import type { JsonObject } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback, EpochLogs } from './callback.js';
import { readMonitored } from './monitor.js';

/**
 * Options of {@link ReduceLROnPlateau}.
 *
 * @example
 * new ReduceLROnPlateau({ monitor: 'validationAccuracy' }); // with a plateau schedule in mode 'max'
 */
export interface ReduceLROnPlateauOptions {
  /** The log key reported to the optimizer after each epoch; default `validationLoss`. */
  readonly monitor?: string;
}

/**
 * Feeds a monitored figure to the optimizer's `reduceLROnPlateau` schedule after every epoch
 * (`optimizer.observeMetric`). The reduction rule (factor, patience, threshold, cooldown, mode) and
 * its state belong to that schedule, from `@annet/optimizers`, so they are saved and restored with
 * the optimizer; this callback only says which figure to watch, and counts reductions.
 *
 * @example
 * const optimizer = new Adam({ learningRate: reduceLROnPlateau({ learningRate: 1e-3, patience: 2, factor: 0.5 }) });
 * await model.fit(train, { optimizer, loss, epochs: 30, validationData, callbacks: [new ReduceLROnPlateau()] });
 */
export class ReduceLROnPlateau implements Callback {
  readonly name = 'reduceLROnPlateau';
  readonly monitor: string;
  /** How many times the learning rate went down. */
  reductions = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    this.monitor = options.monitor ?? 'validationLoss';
  }

  onTrainBegin(context: TrainingContext): void {
    if (!usesPlateauSchedule(context.optimizer.config)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'ReduceLROnPlateau',
        `the ${context.optimizer.type} optimizer has no reduceLROnPlateau schedule, so there is nothing to reduce; build it with { learningRate: reduceLROnPlateau({ learningRate, factor, patience }) } from @annet/optimizers`,
      );
    }
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): void {
    const before = context.optimizer.currentLearningRate();
    context.optimizer.observeMetric(readMonitored(logs, this.monitor, 'ReduceLROnPlateau'));
    if (context.optimizer.currentLearningRate() < before) this.reductions++;
  }

  getState(): JsonObject {
    return { reductions: this.reductions };
  }

  setState(state: JsonObject): void {
    this.reductions = typeof state.reductions === 'number' ? state.reductions : 0;
  }
}

function usesPlateauSchedule(config: JsonObject): boolean {
  const isPlateau = (rate: unknown) =>
    typeof rate === 'object' && rate !== null && (rate as { type?: unknown }).type === 'reduceLROnPlateau';
  const groups = Array.isArray(config.groups) ? config.groups : [];
  return isPlateau(config.learningRate) || groups.some((group) => isPlateau((group as JsonObject).learningRate));
}
