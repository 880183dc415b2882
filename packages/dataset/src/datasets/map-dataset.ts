import { AnnetError, shapesEqual, type TypedArray } from '@annet/tensor';
import { checkCount, checkIndex } from './check-index.js';
import type { RowLayout, RowSource } from './sample.js';

/**
 * A map-style dataset: `length` samples, each read by index with `get`. Compositions (`map`,
 * `filter`, `subset`, `take`, `skip`, `concat`) are lazy views that never copy the samples.
 * Subclass it by implementing `length` and `get`.
 *
 * @example
 * const evens = new ArrayDataset([1, 2, 3, 4, 5, 6]).filter((x) => x % 2 === 0).map((x) => x * 10);
 * [...evens]; // [20, 40, 60]
 */
export abstract class MapDataset<T> implements Iterable<T> {
  /** Number of samples. */
  abstract readonly length: number;

  /** The sample at `index` (`0 <= index < length`). */
  abstract get(index: number): T;

  /** The batching fast path, when the samples are rows of contiguous arrays (see {@link RowSource}). */
  rows(): RowSource | undefined {
    return undefined;
  }

  /** A view whose samples are `transform(sample, index)`, computed on each `get`. */
  map<U>(transform: (sample: T, index: number) => U): MapDataset<U> {
    return new DerivedDataset(
      () => this.length,
      (index) => transform(this.get(index), index),
    );
  }

  /** A view of the samples for which `predicate` holds; the predicate runs over all samples once, on first use. */
  filter(predicate: (sample: T, index: number) => boolean): SubsetDataset<T> {
    return new SubsetDataset(this, () => {
      const kept: number[] = [];
      for (let index = 0; index < this.length; index++) if (predicate(this.get(index), index)) kept.push(index);
      return Int32Array.from(kept);
    });
  }

  /** A view of the samples at `indices`, in that order (repeats allowed). */
  subset(indices: ArrayLike<number>): SubsetDataset<T> {
    const copied = new Int32Array(indices.length);
    for (let position = 0; position < indices.length; position++) {
      checkIndex(indices[position], this.length, 'subset');
      copied[position] = indices[position];
    }
    return new SubsetDataset(this, () => copied);
  }

  /** The first `count` samples (all of them when `count >= length`). */
  take(count: number): MapDataset<T> {
    checkCount(count, 'take');
    return rangeView(this, 0, Math.min(count, this.length));
  }

  /** All but the first `count` samples. */
  skip(count: number): MapDataset<T> {
    checkCount(count, 'skip');
    const start = Math.min(count, this.length);
    return rangeView(this, start, this.length - start);
  }

  /** This dataset followed by `others`. */
  concat(...others: MapDataset<T>[]): MapDataset<T> {
    return new ConcatDataset([this, ...others]);
  }

  /** Every sample in index order. */
  *[Symbol.iterator](): Iterator<T> {
    for (let index = 0; index < this.length; index++) yield this.get(index);
  }
}

/** A dataset defined by a length function and a reader; `rows` forwards the fast path when the view keeps it. */
class DerivedDataset<T> extends MapDataset<T> {
  constructor(
    private readonly lengthOf: () => number,
    private readonly read: (index: number) => T,
    private readonly rowsOf: () => RowSource | undefined = () => undefined,
  ) {
    super();
  }
  get length(): number {
    return this.lengthOf();
  }
  get(index: number): T {
    checkIndex(index, this.length, 'get');
    return this.read(index);
  }
  override rows(): RowSource | undefined {
    return this.rowsOf();
  }
}

/** The `count` samples of `source` from `start`, keeping the fast path. */
function rangeView<T>(source: MapDataset<T>, start: number, count: number): MapDataset<T> {
  return new DerivedDataset(
    () => count,
    (index) => source.get(start + index),
    () => remapRows(source.rows(), (index) => start + index),
  );
}

/** A row source reading `source` through an index mapping. */
function remapRows(source: RowSource | undefined, mapIndex: (index: number) => number): RowSource | undefined {
  if (!source) return undefined;
  return {
    input: source.input,
    target: source.target,
    copyRow: (index: number, inputs: TypedArray, inputOffset: number, targets: TypedArray, targetOffset: number) =>
      source.copyRow(mapIndex(index), inputs, inputOffset, targets, targetOffset),
  };
}

/**
 * The samples of `source` at `indices`: what `subset`, `filter` and the splits return. The
 * indices are readable, so a split can be saved as a list of integers.
 *
 * @example
 * const { train } = trainTestSplit(dataset, { testSize: 0.2, seed: 1 });
 * JSON.stringify(Array.from(train.indices));
 */
export class SubsetDataset<T> extends MapDataset<T> {
  private resolved: Int32Array | undefined;

  constructor(
    /** The dataset the indices point into. */
    readonly source: MapDataset<T>,
    private readonly resolveIndices: () => Int32Array,
  ) {
    super();
  }

  /** Positions in `source` of this view's samples, in order. */
  get indices(): Int32Array {
    this.resolved ??= this.resolveIndices();
    return this.resolved;
  }
  get length(): number {
    return this.indices.length;
  }
  get(index: number): T {
    checkIndex(index, this.length, 'get');
    return this.source.get(this.indices[index]);
  }
  override rows(): RowSource | undefined {
    return remapRows(this.source.rows(), (index) => this.indices[index]);
  }
}

/** Several datasets one after another. */
class ConcatDataset<T> extends MapDataset<T> {
  private readonly starts: number[] = [];
  readonly length: number;

  constructor(private readonly parts: readonly MapDataset<T>[]) {
    super();
    let total = 0;
    for (const part of parts) {
      if (!(part instanceof MapDataset)) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'concat',
          `expected map-style datasets, got ${Object.prototype.toString.call(part)}`,
        );
      }
      this.starts.push(total);
      total += part.length;
    }
    this.length = total;
  }

  /** The part holding `index` (binary search over the start offsets). */
  private partOf(index: number): number {
    let low = 0;
    let high = this.parts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  get(index: number): T {
    checkIndex(index, this.length, 'get');
    const part = this.partOf(index);
    return this.parts[part].get(index - this.starts[part]);
  }

  override rows(): RowSource | undefined {
    const sources = this.parts.map((part) => part.rows());
    const first = sources[0];
    if (
      !first ||
      !sources.every(
        (source) => source && sameLayout(source.input, first.input) && sameLayout(source.target, first.target),
      )
    )
      return undefined;
    const all = sources as RowSource[];
    return {
      input: first.input,
      target: first.target,
      copyRow: (index, inputs, inputOffset, targets, targetOffset) => {
        const part = this.partOf(index);
        all[part].copyRow(index - this.starts[part], inputs, inputOffset, targets, targetOffset);
      },
    };
  }
}

function sameLayout(a: RowLayout, b: RowLayout): boolean {
  return a.dtype === b.dtype && shapesEqual(a.shape, b.shape);
}
