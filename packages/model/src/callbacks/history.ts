import type { JsonObject } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { Callback } from './callback.js';
import type { EpochHistory, EpochLogs } from './epoch-logs.js';

/**
 * Records every epoch's logs (loss, metrics, validation figures, learning rate, timing). `fit`
 * always adds one and returns it; its records travel in checkpoints, so a resumed run's history
 * is the whole run's.
 *
 * @example
 * const history = await model.fit(train, { optimizer, loss: 'crossEntropy', epochs: 5 });
 * history.values('validationAccuracy'); // one number per epoch
 */
export class History implements Callback, EpochHistory {
  readonly name = 'history';
  /** One entry per completed epoch, in order. */
  readonly epochs: EpochLogs[] = [];
  /** Why training stopped early (set by `fit`), or `null` when it ran all its epochs. */
  stopReason: string | null = null;

  onEpochEnd(logs: EpochLogs): void {
    this.epochs.push({ ...logs });
  }

  /** The values of one log key, one per epoch (`NaN` where an epoch lacks it). */
  values(key: string): number[] {
    return this.epochs.map((logs) => logs[key] ?? Number.NaN);
  }

  /** The last completed epoch's logs, or `undefined` before the first. */
  last(): EpochLogs | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  /**
   * The epochs' logs as JSON, with the wall-clock figures ({@link wallClockLogKeys}) apart in
   * `wallClock`, so two identical runs have identical `epochs` and only `wallClock` differs
   * (`withoutWallClock` drops it from a checkpoint).
   */
  getState(): JsonObject {
    return {
      epochs: this.epochs.map((logs) => encodeLogs(pick(logs, false))),
      wallClock: this.epochs.map((logs) => encodeLogs(pick(logs, true))),
    };
  }

  setState(state: JsonObject): void {
    const epochs = state.epochs;
    if (typeof state !== 'object' || state === null || !Array.isArray(epochs))
      throw new AnnetError(
        'INVALID_STATE',
        'History',
        `expected { epochs: [...] }, got ${JSON.stringify(state)?.slice(0, 80)}`,
      );
    // Decoded in full before the history changes, so a bad entry leaves it as it was.
    const decoded = epochs.map((logs, index) => {
      const valid =
        typeof logs === 'object' && logs !== null && !Array.isArray(logs) && Object.values(logs).every(isLogValue);
      if (!valid)
        throw new AnnetError(
          'INVALID_STATE',
          'History',
          `epoch ${index} must be an object of numbers, got ${JSON.stringify(logs)?.slice(0, 80)}`,
        );
      return decodeLogs(logs as JsonObject);
    });
    // Wall-clock figures are optional (withoutWallClock drops them; older checkpoints keep them inline).
    const wallClock =
      Array.isArray(state.wallClock) && state.wallClock.length === decoded.length ? state.wallClock : null;
    if (wallClock !== null) {
      wallClock.forEach((logs, index) => {
        if (typeof logs === 'object' && logs !== null && !Array.isArray(logs) && Object.values(logs).every(isLogValue))
          Object.assign(decoded[index], decodeLogs(logs as JsonObject));
      });
    }
    this.epochs.length = 0;
    this.epochs.push(...decoded);
  }
}

/**
 * The log keys measured with a clock (`seconds`, `samplesPerSecond`): they differ between two
 * otherwise identical runs, so checkpoints keep them apart from everything a resume depends on.
 *
 * @example
 * wallClockLogKeys.includes('seconds'); // true
 */
export const wallClockLogKeys: readonly string[] = ['seconds', 'samplesPerSecond'];

/** The logs with (`wallClock` true) only, or without, the wall-clock keys. */
function pick(logs: EpochLogs, wallClock: boolean): EpochLogs {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(logs))
    if (wallClockLogKeys.includes(key) === wallClock) result[key] = value;
  return result;
}

/** A number, or a non-finite one as `encodeLogs` writes it (`"NaN"`, `"Infinity"`, `"-Infinity"`). */
function isLogValue(value: unknown): boolean {
  return typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
}

/**
 * Logs as JSON: non-finite numbers become strings (`"NaN"`), which JSON cannot hold as numbers.
 *
 * @example
 * encodeLogs({ loss: Number.NaN, accuracy: 0.5 }); // { loss: 'NaN', accuracy: 0.5 }
 */
export function encodeLogs(logs: EpochLogs): JsonObject {
  const result: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(logs)) result[key] = Number.isFinite(value) ? value : String(value);
  return result;
}

/**
 * Inverse of {@link encodeLogs}.
 *
 * @example
 * decodeLogs({ loss: 'NaN', accuracy: 0.5 }); // { loss: NaN, accuracy: 0.5 }
 */
export function decodeLogs(json: JsonObject): EpochLogs {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(json))
    result[key] = typeof value === 'string' ? Number(value) : (value as number);
  return result;
}
