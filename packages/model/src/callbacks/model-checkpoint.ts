import type { JsonObject } from '@annet/layer-api';
import type { Checkpoint } from '@annet/serialization';
import { AnnetError } from '@annet/tensor';
import { weightsAreFinite } from '../sequential/weights.js';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback, EpochLogs } from './callback.js';
import { isImprovement, readMonitored, resolveMode, type MonitorMode } from './monitor.js';

/**
 * When and why a checkpoint is being written.
 *
 * @example
 * new MemoryCheckpointStore((moment: CheckpointMoment) => `epoch-${moment.epoch}-step-${moment.step}`);
 */
export interface CheckpointMoment {
  /** One-based number of the epoch the checkpoint was taken in (at its end, or during it). */
  readonly epoch: number;
  /** Optimizer steps taken. */
  readonly step: number;
  /** `epoch` at an epoch's end, `step` for an every-N-steps save, `abort` when `fit`'s `AbortSignal` stopped it. */
  readonly trigger: 'epoch' | 'step' | 'abort';
}

/**
 * Where {@link ModelCheckpoint} writes. The main entry stays browser-safe by taking this as an
 * argument: `@annet/model/node` provides `fileCheckpointStore` (atomic files), and
 * {@link MemoryCheckpointStore} keeps checkpoints in memory.
 *
 * @example
 * const store: CheckpointStore = { location: (m) => `step-${m.step}`, save: (name, c) => void map.set(name, c), remove: (name) => void map.delete(name) };
 */
export interface CheckpointStore {
  /** The name (such as a file path) a checkpoint taken at `moment` is stored under. */
  location(moment: CheckpointMoment): string;
  /** Stores the checkpoint under `location`, replacing what was there. */
  save(location: string, checkpoint: Checkpoint): void | Promise<void>;
  /** Deletes a stored checkpoint (for `keepLast`). */
  remove(location: string): void | Promise<void>;
}

/**
 * Options of {@link ModelCheckpoint}.
 *
 * @example
 * new ModelCheckpoint({ store, everyEpochs: 1, saveBestOnly: true, monitor: 'validationAccuracy', keepLast: 2 });
 */
export interface ModelCheckpointOptions {
  /** Where checkpoints go. */
  readonly store: CheckpointStore;
  /** Save at the end of every N-th epoch; default 1 unless `everySteps` is given. */
  readonly everyEpochs?: number;
  /** Save after every N-th optimizer step. */
  readonly everySteps?: number;
  /** Save only when the monitored figure beats the best so far. Default false. */
  readonly saveBestOnly?: boolean;
  /** The log key `saveBestOnly` watches; default `validationLoss`. */
  readonly monitor?: string;
  /** `min`, `max` or `auto` (default, from the monitor's name). */
  readonly mode?: MonitorMode;
  /** Keep only the last N stored locations, removing older ones after each successful save. */
  readonly keepLast?: number;
  /** Key of this callback's state in checkpoints; default `modelCheckpoint` (give two savers different names). */
  readonly name?: string;
  /**
   * When `fit`'s `AbortSignal` stops training, save a (mid-epoch) checkpoint where it stopped, as
   * Ctrl-C does in the train demo: `saveBestOnly` does not apply to it, non-finite weights are
   * still never saved. Default true.
   */
  readonly saveOnAbort?: boolean;
}

/**
 * Saves checkpoints during `fit`: every N epochs or steps, optionally only when a monitored
 * figure improves, keeping the last N. Each checkpoint resumes training exactly (see
 * `TrainingContext.checkpoint`). Weights holding NaN or infinity are never saved, so after a
 * divergence the last good checkpoint stays untouched.
 *
 * @example
 * const store = new MemoryCheckpointStore();
 * const saver = new ModelCheckpoint({ store, everySteps: 100, keepLast: 3 });
 * await model.fit(train, { optimizer, loss, epochs: 5, callbacks: [saver] });
 * saver.saved; // the last three locations
 */
export class ModelCheckpoint implements Callback {
  readonly name: string;
  /** Saves after every other callback's hooks, so the checkpoint includes their changes. */
  readonly runLast = true;
  readonly store: CheckpointStore;
  readonly everyEpochs: number | null;
  readonly everySteps: number | null;
  readonly saveBestOnly: boolean;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly keepLast: number | null;
  readonly saveOnAbort: boolean;
  /** Locations written and not removed, oldest first. */
  saved: string[] = [];
  /** Best monitored value among saved checkpoints (with `saveBestOnly`), or `null`. */
  best: number | null = null;
  /** Saves skipped because the weights were not finite. */
  skippedNonFinite = 0;

  constructor(options: ModelCheckpointOptions) {
    if (!options || typeof options.store?.save !== 'function') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'ModelCheckpoint',
        'expected { store } with location, save and remove; use fileCheckpointStore from @annet/model/node or new MemoryCheckpointStore()',
      );
    }
    this.store = options.store;
    this.name = options.name ?? 'modelCheckpoint';
    this.everySteps = positiveOrNull(options.everySteps, 'everySteps');
    this.everyEpochs = positiveOrNull(options.everyEpochs ?? (this.everySteps === null ? 1 : undefined), 'everyEpochs');
    this.keepLast = positiveOrNull(options.keepLast, 'keepLast');
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveOnAbort = options.saveOnAbort ?? true;
    this.monitor = options.monitor ?? 'validationLoss';
    this.mode = resolveMode(this.monitor, options.mode ?? 'auto');
    if (this.saveBestOnly && this.everySteps !== null && this.monitor.startsWith('validation')) {
      // Per-step saves read the batch logs, which never hold validation figures: fail now, not mid-run.
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'ModelCheckpoint',
        `saveBestOnly with everySteps watches per-batch logs, which have no ${JSON.stringify(this.monitor)}; monitor a training figure such as 'loss', or save on epochs (everyEpochs) to watch validation figures`,
      );
    }
  }

  onBatchEnd(logs: EpochLogs, context: TrainingContext): Promise<void> | undefined {
    // Synchronous between saves, so the other steps cost no await.
    return this.everySteps !== null && context.step % this.everySteps === 0
      ? this.maybeSave(logs, context, 'step')
      : undefined;
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): Promise<void> | undefined {
    return this.everyEpochs !== null && (context.epoch + 1) % this.everyEpochs === 0
      ? this.maybeSave(logs, context, 'epoch')
      : undefined;
  }

  onTrainEnd(context: TrainingContext): Promise<void> | undefined {
    // Aborted before any step of this run: there is nothing new to save.
    return this.saveOnAbort && context.aborted && !Number.isNaN(context.batchLoss)
      ? this.maybeSave({}, context, 'abort')
      : undefined;
  }

  getState(): JsonObject {
    return { saved: this.saved.slice(), best: this.best, skippedNonFinite: this.skippedNonFinite };
  }

  setState(state: JsonObject): void {
    this.saved = Array.isArray(state.saved)
      ? state.saved.filter((entry): entry is string => typeof entry === 'string')
      : [];
    this.best = typeof state.best === 'number' ? state.best : null;
    this.skippedNonFinite = typeof state.skippedNonFinite === 'number' ? state.skippedNonFinite : 0;
  }

  private async maybeSave(
    logs: EpochLogs,
    context: TrainingContext,
    trigger: CheckpointMoment['trigger'],
  ): Promise<void> {
    if (!Number.isFinite(context.batchLoss) || !weightsAreFinite(context.model)) {
      this.skippedNonFinite++;
      return;
    }
    if (this.saveBestOnly && trigger !== 'abort') {
      const value = readMonitored(logs, this.monitor, 'ModelCheckpoint');
      if (!isImprovement(value, this.best, this.mode, 0)) return;
      this.best = value;
    }
    const moment: CheckpointMoment = { epoch: context.epoch + 1, step: context.step, trigger };
    const location = this.store.location(moment);
    // Record the location before taking the checkpoint, so the checkpoint's own state lists it.
    this.saved = [...this.saved.filter((entry) => entry !== location), location];
    const expired = this.keepLast === null ? [] : this.saved.slice(0, Math.max(0, this.saved.length - this.keepLast));
    this.saved = this.saved.slice(expired.length);
    await this.store.save(location, context.checkpoint());
    for (const old of expired) await this.store.remove(old);
  }
}

function positiveOrNull(value: number | undefined, name: string): number | null {
  if (value === undefined) return null;
  if (!Number.isInteger(value) || value < 1)
    throw new AnnetError('INVALID_ARGUMENT', 'ModelCheckpoint', `${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * A {@link CheckpointStore} in memory: checkpoints in a `Map` keyed `step-<n>` (or a name of your
 * choosing). For tests, browsers, or keeping the best model without touching disk.
 *
 * @example
 * const store = new MemoryCheckpointStore();
 * // after fit:
 * const latest = store.get(store.latest()!);
 */
export class MemoryCheckpointStore implements CheckpointStore {
  /** Stored checkpoints by location, in insertion order. */
  readonly checkpoints = new Map<string, Checkpoint>();

  constructor(private readonly naming: (moment: CheckpointMoment) => string = (moment) => `step-${moment.step}`) {}

  location(moment: CheckpointMoment): string {
    return this.naming(moment);
  }

  save(location: string, checkpoint: Checkpoint): void {
    this.checkpoints.delete(location);
    this.checkpoints.set(location, checkpoint);
  }

  remove(location: string): void {
    this.checkpoints.delete(location);
  }

  /** The checkpoint stored under `location`. */
  get(location: string): Checkpoint | undefined {
    return this.checkpoints.get(location);
  }

  /** The location saved last, or `undefined`. */
  latest(): string | undefined {
    let last: string | undefined;
    for (const key of this.checkpoints.keys()) last = key;
    return last;
  }
}
