import type { JsonObject } from '@annet/layer-api';
import type { Batch, DataLoader } from '@annet/dataset';
import type { Optimizer } from '@annet/optimizers';
import type { Callback } from '../callbacks/callback.js';
import type { RunningMean } from '../metrics/mean.js';
import type { OutputMetrics } from './output-metrics.js';
import type { TrainableModel } from './training-model.js';

/**
 * The settings of a `fit` call that a resume must match for the run to continue identically,
 * recorded in every checkpoint as `extra.fit`.
 *
 * @example
 * const settings: FitSettings = { seed: 42, batchSize: 32, epochs: 15 };
 */
export interface FitSettings {
  readonly seed: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** `FitOptions.runSettings`, when given. */
  readonly runSettings?: JsonObject;
  /** `FitOptions.stepsPerEpoch`, when given. */
  readonly stepsPerEpoch?: number;
}

/**
 * Everything of a running `fit` that a checkpoint captures and a resume restores, besides the
 * {@link RunState} (epoch, step, history) that travels beside it.
 *
 * @example
 * const checkpoint = captureCheckpoint(parts, state);
 */
export interface TrainingParts {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly loader: DataLoader<unknown, Batch>;
  readonly metrics: OutputMetrics;
  readonly epochLoss: RunningMean;
  readonly callbacks: readonly Callback[];
  readonly settings: FitSettings;
}
