import type { CheckpointStore } from '@annet/model';
import { fileCheckpointStore } from '@annet/model/node';
import type { Checkpoint } from '@annet/serialization';
import { saveCheckpoint } from '@annet/serialization/node';

/**
 * One checkpoint this run saved.
 *
 * @example
 * const saved: SavedCheckpoint = { epoch: 3, step: 750, midEpoch: false };
 */
export interface SavedCheckpoint {
  /** Completed epochs it holds. */
  readonly epoch: number;
  readonly step: number;
  /** `true` for a checkpoint taken inside an epoch (on Ctrl-C). */
  readonly midEpoch: boolean;
}

/**
 * Saves the run's checkpoints to `--checkpoint` and remembers the last one it wrote, so what the
 * app reports (the "Wrote" list, the line after Ctrl-C or a diverged run) is what the file holds.
 *
 * @example
 * const log = new CheckpointLog('run.ckpt');
 * new ModelCheckpoint({ store: log.store(), everyEpochs: 1 });
 * log.last; // { epoch: 1, step: 250, midEpoch: false } after the first epoch
 */
export class CheckpointLog {
  /** The last checkpoint written by this run, or `null` before the first. */
  last: SavedCheckpoint | null = null;

  constructor(readonly file: string) {}

  /** A store for `ModelCheckpoint` that writes the file atomically and records each save. */
  store(): CheckpointStore {
    const files = fileCheckpointStore(this.file);
    return {
      location: (moment) => files.location(moment),
      save: async (location, checkpoint) => {
        await files.save(location, checkpoint);
        this.record(checkpoint);
      },
      remove: (location) => files.remove(location),
    };
  }

  /** Saves `checkpoint` to the file (atomically) and records it. */
  async save(checkpoint: Checkpoint): Promise<void> {
    await saveCheckpoint(this.file, checkpoint);
    this.record(checkpoint);
  }

  /** What the file holds, for messages: `epoch 3, step 750` or `mid-epoch 2, step 300`. */
  describe(saved: SavedCheckpoint): string {
    return saved.midEpoch
      ? `mid-epoch ${saved.epoch + 1}, step ${saved.step}`
      : `after epoch ${saved.epoch}, step ${saved.step}`;
  }

  private record(checkpoint: Checkpoint): void {
    const training = (checkpoint.extra?.training ?? {}) as { midEpoch?: unknown };
    this.last = { epoch: checkpoint.epoch, step: checkpoint.step, midEpoch: training.midEpoch === true };
  }
}
