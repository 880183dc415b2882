import { AnnetError } from '@annet/tensor';
import { checkIndex } from './check-index.js';
import { MapDataset } from './map-dataset.js';
import type { Sample } from './sample.js';

/**
 * A dataset over a JavaScript array of samples (any type). {@link ArrayDataset.fromPairs} zips
 * parallel arrays of inputs and targets into `{ input, target }` samples for the default collate.
 *
 * @example
 * const xor = ArrayDataset.fromPairs([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]);
 * xor.get(1); // { input: [0, 1], target: 1 }
 */
export class ArrayDataset<T> extends MapDataset<T> {
  constructor(private readonly items: readonly T[]) {
    super();
    if (!Array.isArray(items)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'ArrayDataset',
        `expected an array of samples, got ${Object.prototype.toString.call(items)}`,
      );
    }
  }

  /** Zips `inputs[i]` and `targets[i]` into samples; the arrays must have equal lengths. */
  static fromPairs<Input, Target>(
    inputs: readonly Input[],
    targets: readonly Target[],
  ): ArrayDataset<Sample<Input, Target>> {
    if (inputs.length !== targets.length) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'ArrayDataset.fromPairs',
        `got ${inputs.length} inputs and ${targets.length} targets; expected equal counts`,
      );
    }
    return new ArrayDataset(inputs.map((input, index) => ({ input, target: targets[index] })));
  }

  get length(): number {
    return this.items.length;
  }

  get(index: number): T {
    checkIndex(index, this.items.length, 'ArrayDataset.get');
    return this.items[index];
  }
}
