import { AnnetError } from '@annet/tensor';

/**
 * How often `fit`, `evaluateAsync` and `predictAsync` hand the thread back to the event loop (as
 * tfjs's `yieldEvery`): `'auto'` (default: every {@link autoYieldMilliseconds} ms in a browser page
 * or worker; in Node only when an `AbortSignal` is given, every 200 ms, so that the signal can be
 * seen), `'never'`, `'batch'` (after every batch), `'epoch'` (after every epoch), a number of
 * milliseconds (tfjs's meaning of a number), or `{ batches: n }` / `{ milliseconds: n }`.
 *
 * A yield is one MessageChannel round trip (a macrotask: timers, input, rendering and
 * `postMessage` from other threads get their turn), not `setTimeout(0)`, which browsers clamp to
 * 4 ms once nested.
 *
 * @example
 * await model.fit(train, { optimizer, loss: 'softmaxCrossEntropy', epochs: 3, yieldEvery: { batches: 8 } });
 */
export type YieldEvery =
  'auto' | 'never' | 'batch' | 'epoch' | number | { readonly batches: number } | { readonly milliseconds: number };

/** Milliseconds between yields that `'auto'` uses in browsers: a bit more than a 60 Hz frame. */
export const autoYieldMilliseconds = 20;

/** Milliseconds between yields that `'auto'` uses in Node when `fit` was given an `AbortSignal`. */
export const autoYieldMillisecondsWithSignal = 200;

/**
 * A checked {@link YieldEvery}: never, after every `every` batches, after `every` milliseconds, or at epoch ends.
 *
 * @example
 * resolveYieldEvery({ batches: 8 }, false, 'fit'); // { kind: 'batches', every: 8 }
 */
export type YieldPolicy =
  | { readonly kind: 'never' }
  | { readonly kind: 'epoch' }
  | { readonly kind: 'batches' | 'milliseconds'; readonly every: number };

/**
 * True in a browser page or a web worker (where `document` or `WorkerGlobalScope` exists), the
 * places where a thread that never yields freezes a page or deafens a worker.
 *
 * @example
 * isBrowserLike(); // false in Node
 */
export function isBrowserLike(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return typeof scope.document !== 'undefined' || typeof scope.WorkerGlobalScope !== 'undefined';
}

/**
 * Checks a {@link YieldEvery} and decides what `'auto'` means here.
 *
 * @example
 * resolveYieldEvery('auto', true, 'fit'); // in Node: { kind: 'milliseconds', every: 200 }
 */
export function resolveYieldEvery(option: YieldEvery | undefined, hasSignal: boolean, operation: string): YieldPolicy {
  const value = option ?? 'auto';
  if (value === 'auto') {
    if (isBrowserLike()) return { kind: 'milliseconds', every: autoYieldMilliseconds };
    return hasSignal ? { kind: 'milliseconds', every: autoYieldMillisecondsWithSignal } : { kind: 'never' };
  }
  if (value === 'never' || value === 'epoch') return { kind: value };
  if (value === 'batch') return { kind: 'batches', every: 1 };
  if (typeof value === 'number')
    return { kind: 'milliseconds', every: positive(value, 'yieldEvery (milliseconds)', operation) };
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 1 && 'batches' in value) {
      const batches = value.batches;
      if (!Number.isSafeInteger(batches) || batches < 1)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `yieldEvery.batches must be an integer >= 1, got ${batches}`,
        );
      return { kind: 'batches', every: batches };
    }
    if (keys.length === 1 && 'milliseconds' in value)
      return { kind: 'milliseconds', every: positive(value.milliseconds, 'yieldEvery.milliseconds', operation) };
  }
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `yieldEvery must be 'auto', 'never', 'batch', 'epoch', a number of milliseconds, { batches: n } or { milliseconds: n }, got ${JSON.stringify(value)}`,
  );
}

function positive(value: number, name: string, operation: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
    throw new AnnetError('INVALID_ARGUMENT', operation, `${name} must be a finite number >= 0, got ${value}`);
  return value;
}
