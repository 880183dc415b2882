import type { Sampler } from './sampler.js';

/**
 * Visits every sample once, in index order: what a loader without `shuffle` uses.
 *
 * @example
 * new SequentialSampler().epochIndices(4); // Int32Array [0, 1, 2, 3]
 */
export class SequentialSampler implements Sampler {
  epochIndices(length: number): Int32Array {
    const indices = new Int32Array(length);
    for (let index = 0; index < length; index++) indices[index] = index;
    return indices;
  }
}
