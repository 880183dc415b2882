import { allocate, type DType, type TypedArrayFor } from '@annet/tensor';

/**
 * Where batch arrays come from. A fresh allocation per batch by default; with
 * `reuseBuffers` a ring of `slots` buffer sets, so a yielded batch stays valid until `slots - 1`
 * more batches have been produced (the loader sizes the ring so that is "until you ask for the
 * next batch").
 */
export class BatchBuffers {
  private readonly ring: Map<string, Float32Array | Float64Array | Int32Array>[];
  private slot = 0;

  constructor(slots: number) {
    this.ring = Array.from({ length: slots }, () => new Map());
  }

  /** Moves to the next slot of the ring; call once per batch, before taking its arrays. */
  advance(): void {
    this.slot = (this.slot + 1) % this.ring.length;
  }

  /** An array of `length` elements for `name` in the current slot, reused when one is big enough. */
  take<D extends DType>(name: string, dtype: D, length: number): TypedArrayFor[D] {
    const slot = this.ring[this.slot];
    const key = `${name}:${dtype}`;
    let array = slot.get(key) as TypedArrayFor[D] | undefined;
    if (!array || array.length < length) {
      array = allocate(dtype, length);
      slot.set(key, array);
    }
    return (array.length === length ? array : array.subarray(0, length)) as TypedArrayFor[D];
  }
}

/** Allocates batch arrays: a fresh array, or one from a {@link BatchBuffers} ring. */
export type BatchAllocator = <D extends DType>(name: string, dtype: D, length: number) => TypedArrayFor[D];

/** The allocator that always returns a fresh zeroed array. */
export const freshArrays: BatchAllocator = (_name, dtype, length) => allocate(dtype, length);
