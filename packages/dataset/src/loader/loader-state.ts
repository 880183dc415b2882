import { AnnetError, rngFromState, type RngState } from '@annet/tensor';
import type { JsonValue } from '../json.js';

/**
 * A {@link DataLoader}'s whole iteration state, as plain JSON: save it with the model and
 * optimizer, and a loader restored from it yields exactly the batches an uninterrupted loader
 * would have yielded next, mid-epoch included.
 *
 * The epoch's order is a pure function of `rng` (the generator's state at the start of the
 * epoch), the sampler (and `sampler`, its state then) and the dataset; `position` counts the
 * samples of that order already yielded. Later epochs draw from generators derived from
 * `(seed, epoch)`.
 *
 * @example
 * const saved = JSON.stringify(loader.state());
 * // later, in a fresh process:
 * const resumed = DataLoader.fromState(dataset, { batchSize: 64, shuffle: true }, JSON.parse(saved));
 */
export interface DataLoaderState {
  /** Always `'annet.dataloader'`. */
  readonly format: 'annet.dataloader';
  /** Format version, 1. */
  readonly version: 1;
  /** The loader's seed; the generator of epoch `e` is derived from `(seed, e)`. */
  readonly seed: number;
  /** The current epoch (0-based). */
  readonly epoch: number;
  /** Samples of this epoch's order already yielded (a multiple of the batch size, except at the very end). */
  readonly position: number;
  /** The batch size the state was saved with (for information; `position` counts samples). */
  readonly batchSize: number;
  /** Samples in the dataset when saved (`null` for a stream); restoring checks it. */
  readonly length: number | null;
  /** State of the epoch's generator at the start of the epoch. */
  readonly rng: RngState;
  /** The sampler's own state at the start of the epoch (`null` for the built-in, stateless samplers). */
  readonly sampler: JsonValue;
}

function isNonNegativeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Checks a parsed state and returns it typed, or throws an error naming the bad field. */
export function checkLoaderState(state: unknown): DataLoaderState {
  const fail = (detail: string) => new AnnetError('INVALID_STATE', 'DataLoader.loadState', `${detail}; expected what DataLoader.state() returns`);
  if (typeof state !== 'object' || state === null) throw fail(`got ${JSON.stringify(state)}`);
  const value = state as Record<string, unknown>;
  if (value.format !== 'annet.dataloader') throw fail(`format is ${JSON.stringify(value.format)}, not "annet.dataloader"`);
  if (value.version !== 1) throw fail(`version ${JSON.stringify(value.version)} is not supported (this build reads version 1)`);
  if (!Number.isSafeInteger(value.seed)) throw fail(`seed must be a safe integer, got ${JSON.stringify(value.seed)}`);
  for (const field of ['epoch', 'position', 'batchSize'] as const) {
    if (!isNonNegativeInteger(value[field])) throw fail(`${field} must be a non-negative integer, got ${JSON.stringify(value[field])}`);
  }
  if (value.length !== null && !isNonNegativeInteger(value.length)) throw fail(`length must be a non-negative integer or null, got ${JSON.stringify(value.length)}`);
  try {
    rngFromState(value.rng as RngState);
  } catch (error) {
    throw new AnnetError('INVALID_STATE', 'DataLoader.loadState', `rng is not a generator state: ${(error as Error).message}`, { cause: error });
  }
  if (value.sampler === undefined) throw fail('sampler is missing (null when the sampler keeps no state)');
  return value as unknown as DataLoaderState;
}
