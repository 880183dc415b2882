import { MapDataset, type RowSource, type Sample } from '@annet/dataset';
import type { Callback, TrainingContext } from '@annet/model';
import { AnnetError, Tensor, type TypedArray } from '@annet/tensor';

/** A 32-bit avalanche mix (lowbias32): nearby inputs give unrelated outputs. */
function mix(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Training digits moved by a random whole-pixel shift, up to `maxShift` pixels in each direction
 * (the gap filled with background), a new shift for every sample in every epoch. The shift is a
 * hash of `(seed, epoch, sample)`, not a draw from a stream, so it needs no state of its own: a
 * run resumed at any step shifts every later sample exactly as the uninterrupted run did. The
 * epoch comes from {@link ShiftedDigits.epochTracker}, a callback to pass to `fit`.
 *
 * Batches take the loader's fast path: each row is copied once, shifted, straight into the batch.
 *
 * @example
 * const train = new ShiftedDigits(trainSet, { seed: 42, maxShift: 2, side: 28 });
 * await model.fit(train, { ...options, callbacks: [train.epochTracker()] });
 */
export class ShiftedDigits extends MapDataset<Sample> {
  /** The epoch whose shifts `rows()` applies; set by the epoch tracker. */
  epoch = 0;
  private readonly source: RowSource;
  private readonly scratch: Float32Array;
  private readonly side: number;
  private readonly maxShift: number;
  private readonly seed: number;

  constructor(
    private readonly base: MapDataset<Sample>,
    options: { readonly seed: number; readonly maxShift: number; readonly side: number },
  ) {
    super();
    const rows = base.rows();
    if (
      rows === undefined ||
      rows.input.dtype !== 'float32' ||
      rows.input.shape.reduce((a, b) => a * b, 1) !== options.side * options.side
    ) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'ShiftedDigits',
        `expected a row dataset of float32 ${options.side}×${options.side} images`,
      );
    }
    this.source = rows;
    this.side = options.side;
    this.maxShift = options.maxShift;
    this.seed = options.seed;
    this.scratch = new Float32Array(options.side * options.side);
  }

  get length(): number {
    return this.base.length;
  }

  /** Sample `index`, shifted as in the current epoch. */
  get(index: number): Sample {
    const { input, target } = this.base.get(index);
    const shifted = new Float32Array(input.size);
    this.shiftInto(input.contiguous().data as Float32Array, index, shifted, 0);
    return { input: new Tensor(shifted, input.shape), target };
  }

  override rows(): RowSource {
    const scratch = this.scratch;
    const source = this.source;
    return {
      input: source.input,
      target: source.target,
      copyRow: (index: number, inputs: TypedArray, inputOffset: number, targets: TypedArray, targetOffset: number) => {
        // The label goes straight to the batch, the image through the scratch row to be shifted.
        source.copyRow(index, scratch, 0, targets, targetOffset);
        this.shiftInto(scratch, index, inputs as Float32Array, inputOffset);
      },
    };
  }

  /** A callback that keeps {@link ShiftedDigits.epoch} equal to the epoch being trained (resumes included). */
  epochTracker(): Callback {
    const follow = (context: TrainingContext) => {
      this.epoch = context.epoch;
    };
    return {
      name: 'shiftedDigitsEpoch',
      onTrainBegin: follow,
      onEpochBegin: follow,
      getState: () => ({}),
      setState: () => {},
    };
  }

  /** Writes image `index` (read from `image`) shifted by its (dx, dy) of this epoch into `out` at `offset`. */
  private shiftInto(image: Float32Array, index: number, out: Float32Array, offset: number): void {
    const side = this.side;
    const span = 2 * this.maxShift + 1;
    const hash = mix(this.seed ^ mix(this.epoch ^ mix(index + 0x9e3779b9)));
    const dx = (hash % span) - this.maxShift;
    const dy = (Math.floor(hash / span) % span) - this.maxShift;
    for (let row = 0; row < side; row++) {
      const sourceRow = row - dy;
      const outStart = offset + row * side;
      if (sourceRow < 0 || sourceRow >= side) {
        out.fill(0, outStart, outStart + side);
        continue;
      }
      for (let column = 0; column < side; column++) {
        const sourceColumn = column - dx;
        out[outStart + column] = sourceColumn >= 0 && sourceColumn < side ? image[sourceRow * side + sourceColumn] : 0;
      }
    }
  }
}
