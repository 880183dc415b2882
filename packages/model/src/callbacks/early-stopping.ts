import type { JsonObject } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import { WeightSnapshot } from '../sequential/weights.js';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback, EpochLogs } from './callback.js';
import { isImprovement, readMonitored, resolveMode, type MonitorMode } from './monitor.js';

/**
 * Options of {@link EarlyStopping}.
 *
 * @example
 * new EarlyStopping({ monitor: 'validationAccuracy', patience: 3, minDelta: 0.001, restoreBestWeights: true });
 */
export interface EarlyStoppingOptions {
  /** The log key to watch; default `validationLoss`. */
  readonly monitor?: string;
  /** `min`, `max` or `auto` (default: `max` for accuracy-like names, `min` otherwise). */
  readonly mode?: MonitorMode;
  /** Stop after this many epochs in a row without improvement (0 behaves as 1); default 0. */
  readonly patience?: number;
  /** Smallest change that counts as an improvement; default 0. */
  readonly minDelta?: number;
  /** Put back the weights of the best epoch when training ends; default false. */
  readonly restoreBestWeights?: boolean;
  /** Key of this callback's state in checkpoints; default `earlyStopping`. */
  readonly name?: string;
}

/**
 * Stops training when a monitored figure has not improved for `patience` epochs (Keras
 * semantics: an epoch improves when it beats the best by more than `minDelta`). With
 * `restoreBestWeights` it keeps a copy of the best epoch's parameters and buffers and writes them
 * back when training ends, however it ends. The copy is saved in checkpoints, so it survives a resume.
 *
 * @example
 * const stopper = new EarlyStopping({ monitor: 'validationAccuracy', patience: 3, restoreBestWeights: true });
 * await model.fit(train, { optimizer, loss, epochs: 50, validationData, callbacks: [stopper] });
 * stopper.bestEpoch; // zero-based epoch whose weights the model now holds
 */
export class EarlyStopping implements Callback {
  readonly name: string;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  /** Best monitored value so far, or `null`. */
  best: number | null = null;
  /** Zero-based epoch of the best value, or `null`. */
  bestEpoch: number | null = null;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Zero-based epoch after which training was stopped, or `null`. */
  stoppedEpoch: number | null = null;
  private snapshot: WeightSnapshot | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.name = options.name ?? 'earlyStopping';
    this.monitor = options.monitor ?? 'validationLoss';
    this.mode = resolveMode(this.monitor, options.mode ?? 'auto');
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'EarlyStopping',
        `patience must be a non-negative integer, got ${options.patience}`,
      );
    }
    if (!Number.isFinite(this.minDelta)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'EarlyStopping',
        `minDelta must be a finite number, got ${options.minDelta}`,
      );
    }
  }

  onTrainBegin(context: TrainingContext): void {
    this.best = null;
    this.bestEpoch = null;
    this.wait = 0;
    this.stoppedEpoch = null;
    this.snapshot = this.restoreBestWeights ? new WeightSnapshot(context.model) : null;
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): void {
    const value = readMonitored(logs, this.monitor, 'EarlyStopping');
    if (isImprovement(value, this.best, this.mode, this.minDelta)) {
      this.best = value;
      this.bestEpoch = context.epoch;
      this.wait = 0;
      this.snapshot?.capture();
      return;
    }
    this.wait++;
    // Keras counts the same way: with patience p, the p-th epoch in a row without improvement stops (p = 0 acts as 1).
    if (this.wait >= this.patience) {
      this.stoppedEpoch = context.epoch;
      context.requestStop(
        `${this.monitor} did not improve for ${this.wait} epochs (best ${this.best} at epoch ${(this.bestEpoch ?? 0) + 1})`,
      );
    }
  }

  onTrainEnd(): void {
    if (this.snapshot?.filled) this.snapshot.restore();
  }

  getState(): JsonObject {
    return {
      best: this.best,
      bestEpoch: this.bestEpoch,
      wait: this.wait,
      stoppedEpoch: this.stoppedEpoch,
      hasBestWeights: this.snapshot?.filled ?? false,
    };
  }

  setState(state: JsonObject): void {
    this.best = typeof state.best === 'number' ? state.best : null;
    this.bestEpoch = typeof state.bestEpoch === 'number' ? state.bestEpoch : null;
    this.wait = typeof state.wait === 'number' ? state.wait : 0;
    this.stoppedEpoch = typeof state.stoppedEpoch === 'number' ? state.stoppedEpoch : null;
  }

  getTensors(): Readonly<Record<string, Tensor>> {
    return this.snapshot?.filled ? this.snapshot.tensors() : {};
  }

  setTensors(tensors: Readonly<Record<string, Tensor>>): void {
    if (this.snapshot !== null && Object.keys(tensors).length > 0) this.snapshot.load(tensors);
  }
}
