import { AnnetError } from '@annet/tensor';
import { RandomSampler } from '../samplers/random-sampler.js';
import type { Sampler } from '../samplers/sampler.js';
import { SequentialSampler } from '../samplers/sequential-sampler.js';
import type { DataLoaderState } from './loader-state.js';

/** The loader settings that decide which samples a resumed epoch serves, as a state records them. */
export interface LoaderSettings {
  readonly batchSize: number;
  readonly dropLast: boolean;
  /** How the epoch's order is drawn, in the options' words: `shuffle: false`, `shuffle: true`, or `sampler: …`. */
  readonly order: string;
}

/**
 * How a loader orders an epoch, as a short string written in the options that choose it:
 * `'shuffle: false'` (the sequential default), `'shuffle: true'` (a plain `RandomSampler`),
 * `'shuffle: true, shuffleBufferSize: 64'` (a shuffled stream), or `'sampler: <describe()>'`.
 *
 * @example
 * describeOrder(new RandomSampler(), undefined); // 'shuffle: true'
 */
export function describeOrder(sampler: Sampler | undefined, shuffleBufferSize: number | undefined): string {
  if (sampler === undefined)
    return shuffleBufferSize === undefined
      ? 'shuffle: false'
      : `shuffle: true, shuffleBufferSize: ${shuffleBufferSize}`;
  const description = sampler.describe?.() ?? samplerClassName(sampler);
  if (sampler instanceof SequentialSampler && description === 'SequentialSampler') return 'shuffle: false';
  if (sampler instanceof RandomSampler && description === 'RandomSampler') return 'shuffle: true';
  return `sampler: ${description}`;
}

function samplerClassName(sampler: Sampler): string {
  const name = (sampler as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'a custom sampler';
}

/**
 * Throws naming the first setting that differs between the loader that saved `state` and the
 * one loading it: a different batch size, `dropLast`, `shuffle` or sampler serves other samples
 * than the saver would have. Version-1 states record only the batch size, so only it is checked.
 *
 * @example
 * checkSettings(state, { batchSize: 3, dropLast: false, order: 'shuffle: false' }); // throws if the state was saved with batchSize 4
 */
export function checkSettings(state: DataLoaderState, settings: LoaderSettings): void {
  const mismatch = (setting: string, saved: string, current: string) =>
    new AnnetError(
      'INVALID_STATE',
      'DataLoader.loadState',
      `${setting} differs: the state was saved by a loader with ${saved}, but this loader has ${current}; create the loader with the options it was saved with`,
    );
  if (state.batchSize !== settings.batchSize)
    throw mismatch('batchSize', `batchSize: ${state.batchSize}`, `batchSize: ${settings.batchSize}`);
  if (state.version === 1) return;
  if (state.dropLast !== settings.dropLast)
    throw mismatch('dropLast', `dropLast: ${state.dropLast}`, `dropLast: ${settings.dropLast}`);
  const savedOrder = state.order ?? '';
  if (savedOrder !== settings.order) {
    const setting =
      savedOrder.startsWith('sampler') || settings.order.startsWith('sampler') ? 'the sampler' : 'shuffle';
    throw mismatch(setting, savedOrder, settings.order);
  }
}
