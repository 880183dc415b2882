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
  /** Format version: 2 (version 1, without `dropLast` and `order`, is still read). */
  readonly version: 1 | 2;
  /** The loader's seed; the generator of epoch `e` is derived from `(seed, e)`. */
  readonly seed: number;
  /** The current epoch (0-based). */
  readonly epoch: number;
  /** Samples of this epoch's order already yielded (a multiple of the batch size, except at the very end). */
  readonly position: number;
  /** The batch size the state was saved with; restoring checks it. */
  readonly batchSize: number;
  /** Whether the saving loader skipped a short last batch (version 2); restoring checks it. */
  readonly dropLast?: boolean;
  /**
   * How the saving loader ordered an epoch, in its options' words (version 2): `'shuffle: false'`,
   * `'shuffle: true'`, `'shuffle: true, shuffleBufferSize: 64'` or `'sampler: <the sampler's
   * describe()>'`. Restoring checks it.
   */
  readonly order?: string;
  /** Samples in the dataset when saved (`null` for a stream); restoring checks it. */
  readonly length: number | null;
  /** State of the epoch's generator at the start of the epoch. */
  readonly rng: RngState;
  /** The sampler's own state at the start of the epoch (`null` for the built-in, stateless samplers). */
  readonly sampler: JsonValue;
}

/** A bounded description of a field's value for messages (a hostile state may hold anything). */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Checks a parsed state and returns it typed, or throws an error naming the bad field. */
export function checkLoaderState(state: unknown): DataLoaderState {
  const fail = (detail: string) =>
    new AnnetError('INVALID_STATE', 'DataLoader.loadState', `${detail}; expected what DataLoader.state() returns`);
  if (typeof state !== 'object' || state === null) throw fail(`got ${describe(state)}`);
  const value = state as Record<string, unknown>;
  if (value.format !== 'annet.dataloader') throw fail(`format is ${describe(value.format)}, not "annet.dataloader"`);
  if (value.version !== 1 && value.version !== 2)
    throw fail(`version ${describe(value.version)} is not supported (this build reads versions 1 and 2)`);
  if (!Number.isSafeInteger(value.seed)) throw fail(`seed must be a safe integer, got ${describe(value.seed)}`);
  for (const field of ['epoch', 'position', 'batchSize'] as const) {
    if (!isNonNegativeInteger(value[field]))
      throw fail(`${field} must be a non-negative integer, got ${describe(value[field])}`);
  }
  if (value.length !== null && !isNonNegativeInteger(value.length))
    throw fail(`length must be a non-negative integer or null, got ${describe(value.length)}`);
  try {
    rngFromState(value.rng as RngState);
  } catch (error) {
    throw new AnnetError(
      'INVALID_STATE',
      'DataLoader.loadState',
      `rng is not a generator state: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (value.sampler === undefined) throw fail('sampler is missing (null when the sampler keeps no state)');
  if (value.version === 2) {
    if (typeof value.dropLast !== 'boolean') throw fail(`dropLast must be a boolean, got ${describe(value.dropLast)}`);
    if (typeof value.order !== 'string') throw fail(`order must be a string, got ${describe(value.order)}`);
  }
  return value as unknown as DataLoaderState;
}
