import type { FloatArray, Parameter, StateBuffer } from '@annet/layer-api';
import { AnnetError, Tensor } from '@annet/tensor';

/**
 * Anything with parameters and buffers, such as a {@link Sequential}.
 *
 * @example
 * new WeightSnapshot(model satisfies WeightOwner);
 */
export interface WeightOwner {
  parameters(): readonly Parameter[];
  buffers(): readonly StateBuffer[];
}

/**
 * A reusable copy of a model's parameters and buffers, keyed by name. `capture` copies the
 * current values into arrays allocated once; `restore` writes them back in place.
 *
 * @example
 * const best = new WeightSnapshot(model);
 * best.capture();   // after a good epoch
 * best.restore();   // at the end of training
 */
export class WeightSnapshot {
  private readonly arrays: readonly { readonly source: Parameter | StateBuffer; readonly copy: FloatArray }[];
  /** `true` once {@link WeightSnapshot.capture} or {@link WeightSnapshot.load} filled it. */
  filled = false;

  constructor(owner: WeightOwner) {
    this.arrays = [...owner.parameters(), ...owner.buffers()].map((source) => ({ source, copy: source.value.slice() }));
  }

  /** Copies the owner's current values in. */
  capture(): void {
    for (const { source, copy } of this.arrays) copy.set(source.value);
    this.filled = true;
  }

  /** Writes the captured values back into the owner's arrays. */
  restore(): void {
    if (!this.filled)
      throw new AnnetError('INVALID_STATE', 'WeightSnapshot.restore', 'nothing was captured yet; call capture() first');
    for (const { source, copy } of this.arrays) source.value.set(copy);
  }

  /** The captured arrays as tensors keyed by parameter or buffer name (views, not copies). */
  tensors(): Record<string, Tensor> {
    const result: Record<string, Tensor> = {};
    for (const { source, copy } of this.arrays) result[source.name] = new Tensor(copy, source.shape);
    return result;
  }

  /** Fills the snapshot from tensors keyed by name, as {@link WeightSnapshot.tensors} returned them. */
  load(tensors: Readonly<Record<string, Tensor>>): void {
    // Every array is checked before any is copied, so a refused load leaves the snapshot as it was.
    for (const { source, copy } of this.arrays) {
      const saved = tensors[source.name];
      if (saved === undefined || saved.size !== copy.length || saved.dtype === 'int32') {
        throw new AnnetError(
          'INVALID_STATE',
          'WeightSnapshot.load',
          `no saved float array of ${copy.length} elements for ${JSON.stringify(source.name)}${saved === undefined ? '' : ` (got ${saved.dtype} with ${saved.size})`}`,
        );
      }
    }
    for (const { source, copy } of this.arrays) {
      const contiguous = tensors[source.name].contiguous();
      copy.set(contiguous.data.subarray(contiguous.offset, contiguous.offset + contiguous.size));
    }
    this.filled = true;
  }
}

/**
 * `true` when every parameter value is finite (no NaN or infinity).
 *
 * @example
 * if (!weightsAreFinite(model)) console.warn('the weights hold NaN or infinity');
 */
export function weightsAreFinite(owner: WeightOwner): boolean {
  for (const parameter of owner.parameters()) {
    const value = parameter.value;
    for (let index = 0; index < value.length; index++) if (!Number.isFinite(value[index])) return false;
  }
  return true;
}
