import { AnnetError, Tensor, type Rng } from '@annet/tensor';
import type { IterableDataset } from '../datasets/iterable-dataset.js';
import type { MapDataset } from '../datasets/map-dataset.js';
import type { Batch, RowSource } from '../datasets/sample.js';
import type { BatchAllocator } from './batch-buffers.js';
import { shuffleBuffer } from './shuffle-buffer.js';

/** A produced batch and how many samples of the epoch it consumed. */
export interface Produced<B> {
  readonly batch: B;
  readonly count: number;
}

/** The fast path: copies rows `order[start … start + count)` straight into batch arrays. */
export function rowBatch(
  rows: RowSource,
  order: Int32Array,
  start: number,
  count: number,
  allocateArray: BatchAllocator,
): Batch {
  const inputSize = rows.input.shape.reduce((product, dimension) => product * dimension, 1);
  const targetSize = rows.target.shape.reduce((product, dimension) => product * dimension, 1);
  const inputs = allocateArray('inputs', rows.input.dtype, count * inputSize);
  const targets = allocateArray('targets', rows.target.dtype, count * targetSize);
  for (let slot = 0; slot < count; slot++) {
    rows.copyRow(order[start + slot], inputs, slot * inputSize, targets, slot * targetSize);
  }
  return {
    inputs: new Tensor(inputs, [count, ...rows.input.shape]),
    targets: new Tensor(targets, [count, ...rows.target.shape]),
  };
}

/** True for a promise or any other thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** The samples `dataset.get(order[start … start + count))`, possibly promises. */
export function readSamples<T>(dataset: MapDataset<T>, order: Int32Array, start: number, count: number): T[] {
  const samples = new Array<T>(count);
  for (let slot = 0; slot < count; slot++) samples[slot] = dataset.get(order[start + slot]);
  return samples;
}

/** Settings shared by the stream producer. */
export interface StreamPlan<S, B> {
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly skip: number;
  readonly shuffleBufferSize: number | undefined;
  readonly rng: Rng;
  readonly collate: (samples: S[]) => B;
  readonly advance: () => void;
}

/**
 * Batches of a stream from the start of the epoch: the samples (shuffled through a buffer when
 * asked) with the first `skip` dropped, which replays a saved position exactly.
 */
export async function* streamBatches<S, B>(
  dataset: IterableDataset<unknown>,
  plan: StreamPlan<S, B>,
): AsyncGenerator<Produced<B>> {
  const samples = plan.shuffleBufferSize ? shuffleBuffer(dataset, plan.shuffleBufferSize, plan.rng) : dataset;
  let skipped = 0;
  let pending: S[] = [];
  for await (const raw of samples) {
    if (skipped < plan.skip) {
      skipped++;
      continue;
    }
    pending.push((isThenable(raw) ? await raw : raw) as S);
    if (pending.length === plan.batchSize) {
      plan.advance();
      yield { batch: plan.collate(pending), count: pending.length };
      pending = [];
    }
  }
  if (skipped < plan.skip) {
    throw new AnnetError(
      'INVALID_STATE',
      'DataLoader',
      `the stream ended after ${skipped} samples but the restored position is ${plan.skip}; the source changed since the state was saved`,
    );
  }
  if (pending.length > 0 && !plan.dropLast) {
    plan.advance();
    yield { batch: plan.collate(pending), count: pending.length };
  }
}
