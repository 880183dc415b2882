import type { FloatDType } from '@annet/layer-api';
import { AnnetError, residentZeros, shapesEqual, type Tensor } from '@annet/tensor';

/** What a {@link Workspace} keeps under one name. */
interface Entry {
  /** The buffer, scratch array, view or record. */
  value: unknown;
  /** What `value` was made for: a shape, a source tensor, a length. */
  key: unknown;
  /** The dtype a buffer was made in (undefined for the others). */
  dtype: string | undefined;
}

/**
 * A layer's reusable memory, one per layer (`this.workspace`, made by {@link BaseLayer}). Every
 * output, gradient, scratch array and cached view a layer keeps from one step to the next lives
 * here under a name, made on first use and kept while what it was made for stays the same, so a
 * steady-state step allocates nothing and returns the same tensors. A new layer (recurrent,
 * attention) asks for its buffers by name instead of keeping fields:
 *
 * - `buffer(name, dtype, shape)`: a resident float tensor (in the WebAssembly kernels' memory
 *   when they have a shared one), zero-filled when made, the same tensor while dtype and shape
 *   stay (compared entry by entry, so pass a shape you already hold, such as `input.shape`);
 * - `output(dtype, inputShape)`: the buffer `'output'`, shaped `layer.outputShape(inputShape)`,
 *   which is computed only when `inputShape` changes;
 * - `scratch(name, 'float64' | 'int32', length)`: a plain typed array (float64 sums, indices);
 * - `view(name, source)` and `keepView(name, source, view)`: something made from a tensor the
 *   layer was handed (a reshape of the input, per-sample slices of the gradient), kept while the
 *   very same tensor object comes back;
 * - `derive(name, dtype, shape, make)`: whatever `make(shape, dtype)` builds for one shape
 *   (Conv2D's im2col columns and the op options pointing at them, Softmax's row sums);
 * - `current(name)`: whatever was last kept under `name` (backward reads forward's output).
 *
 * The tensors it returns are overwritten by the next step: callers `clone()` what they keep.
 *
 * @example
 * // In a layer's forward and backward:
 * const output = this.workspace.buffer('output', x.dtype, x.shape);
 * const rows = this.workspace.view('inputRows', x) ?? this.workspace.keepView('inputRows', x, x.reshape([-1, width]));
 * const inputGradient = this.workspace.buffer('inputGradient', x.dtype, x.shape);
 */
export class Workspace {
  private readonly entries = new Map<string, Entry>();

  /**
   * `outputShape` sizes {@link Workspace.output}: the owning layer's own. A layer of several inputs
   * (a merge layer) passes none and names its output buffer with {@link Workspace.buffer}.
   */
  constructor(private readonly owner?: { outputShape(inputShape: readonly number[]): number[] }) {}

  /** The float buffer `name`: the same tensor while `dtype` and `shape` hold, else a new zero-filled resident one. */
  buffer<D extends FloatDType>(name: string, dtype: D, shape: readonly number[]): Tensor<D> {
    const entry = this.entries.get(name);
    if (entry !== undefined && entry.dtype === dtype && shapesEqual((entry.value as Tensor).shape, shape))
      return entry.value as Tensor<D>;
    const tensor = residentZeros(shape, dtype);
    this.set(name, tensor, undefined, dtype);
    return tensor;
  }

  /** The buffer `'output'` for an input of `inputShape`: shaped by the layer's `outputShape`, remade only when `inputShape` or `dtype` changes. */
  output<D extends FloatDType>(dtype: D, inputShape: readonly number[]): Tensor<D> {
    const entry = this.entries.get('output');
    if (entry !== undefined && entry.dtype === dtype && shapesEqual(entry.key as readonly number[], inputShape))
      return entry.value as Tensor<D>;
    if (this.owner === undefined)
      throw new AnnetError(
        'INVALID_STATE',
        'Workspace.output',
        "this workspace has no layer to size its output; use buffer('output', dtype, shape)",
      );
    const tensor = residentZeros(this.owner.outputShape(inputShape), dtype);
    this.set('output', tensor, inputShape.slice(), dtype);
    return tensor;
  }

  /** A typed array of `length` called `name` (zero-filled when made; the same array while the length holds). */
  scratch(name: string, kind: 'float64', length: number): Float64Array;
  scratch(name: string, kind: 'int32', length: number): Int32Array;
  scratch(name: string, kind: 'float64' | 'int32', length: number): Float64Array | Int32Array {
    const entry = this.entries.get(name);
    if (entry !== undefined && entry.dtype === kind && (entry.value as Float64Array | Int32Array).length === length)
      return entry.value as Float64Array | Int32Array;
    const array = kind === 'float64' ? new Float64Array(length) : new Int32Array(length);
    this.set(name, array, undefined, kind);
    return array;
  }

  /** What {@link Workspace.keepView} kept under `name` for this very `source` object, or undefined. */
  view<T = Tensor>(name: string, source: Tensor): T | undefined {
    const entry = this.entries.get(name);
    return entry !== undefined && entry.key === source ? (entry.value as T) : undefined;
  }

  /** Keeps `view` (made from `source`) under `name` and returns it. */
  keepView<T>(name: string, source: Tensor, view: T): T {
    this.set(name, view, source, undefined);
    return view;
  }

  /**
   * What `make(shape, dtype)` built, kept under `name`: remade only when `shape` or `dtype`
   * changes. Pass a function made once (a module function or a field), not a new arrow per call.
   */
  derive<T, D extends FloatDType>(
    name: string,
    dtype: D,
    shape: readonly number[],
    make: (shape: readonly number[], dtype: D) => T,
  ): T {
    const entry = this.entries.get(name);
    if (entry !== undefined && entry.dtype === dtype && shapesEqual(entry.key as readonly number[], shape))
      return entry.value as T;
    const value = make(shape, dtype);
    this.set(name, value, shape.slice(), dtype);
    return value;
  }

  /** Whatever was last kept under `name` (a buffer, an array, a view or a record), or undefined. */
  current<T = Tensor>(name: string): T | undefined {
    return this.entries.get(name)?.value as T | undefined;
  }

  /** Forgets everything (the next step makes its buffers again), for instance to free memory after training. */
  clear(): void {
    this.entries.clear();
  }

  private set(name: string, value: unknown, key: unknown, dtype: string | undefined): void {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      this.entries.set(name, { value, key, dtype });
      return;
    }
    entry.value = value;
    entry.key = key;
    entry.dtype = dtype;
  }
}
