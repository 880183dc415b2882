import type { EpochLogs } from '@annet/model';
import type { Checkpoint } from '@annet/serialization';
import { checkSettings, type TrainingSettings } from './settings.js';

/**
 * The playground settings a checkpoint was trained with (recorded as `fit`'s run settings under
 * `playground`), checked; throws when the checkpoint was not made by the playground.
 *
 * @example
 * const settings = settingsOfCheckpoint(checkpoint); // { task: 'mlp', optimizer: 'adam', … }
 */
export function settingsOfCheckpoint(checkpoint: Checkpoint): TrainingSettings {
  const fit = (checkpoint.extra as { fit?: { runSettings?: { playground?: unknown } } } | undefined)?.fit;
  const settings = fit?.runSettings?.playground;
  if (typeof settings !== 'object' || settings === null)
    throw new Error(
      'this checkpoint was not saved by the playground (it records no playground settings); load a checkpoint the playground saved',
    );
  return checkSettings(settings as TrainingSettings);
}

/**
 * Completed epochs' logs recorded in a checkpoint (for redrawing curves after a reload).
 *
 * @example
 * historyOfCheckpoint(checkpoint).map((logs) => logs.loss);
 */
export function historyOfCheckpoint(checkpoint: Checkpoint): EpochLogs[] {
  const { epochs, wallClock } = (checkpoint.history ?? {}) as { epochs?: unknown; wallClock?: unknown };
  if (!Array.isArray(epochs)) return [];
  // History writes non-finite figures as strings ("NaN", "Infinity"), which JSON cannot hold as
  // numbers, and keeps the wall-clock figures (seconds, samples/s) apart in `wallClock`.
  const decode = (logs: unknown) =>
    Object.fromEntries(
      Object.entries((logs ?? {}) as Record<string, number | string>).map(([key, value]) => [key, Number(value)]),
    );
  return epochs.map((logs, index) => ({
    ...decode(logs),
    ...(Array.isArray(wallClock) ? decode(wallClock[index]) : {}),
  }));
}

/**
 * Whether the checkpoint was taken mid-epoch (after a batch) rather than at an epoch's end.
 *
 * @example
 * isMidEpoch(checkpoint); // true after a stop during an epoch
 */
export function isMidEpoch(checkpoint: Checkpoint): boolean {
  return (checkpoint.extra as { training?: { midEpoch?: unknown } } | undefined)?.training?.midEpoch === true;
}
