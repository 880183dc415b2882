import type { FloatArray, Layer, TensorLike } from '@annet/layer-api';
import { AnnetError, Tensor, formatShape, shapesEqual } from '@annet/tensor';

/**
 * One array offered to {@link loadWeights}: a `Tensor` (any layout; a `transpose()` view is read
 * in its logical order), `{ data, shape }` (row-major), or a bare `Float32Array`/`Float64Array`
 * for an array of rank 0 or 1 only (a bias, a running mean), whose shape is then its length.
 */
export type WeightSource = FloatArray | { readonly data: FloatArray; readonly shape: readonly number[] } | TensorLike;

/**
 * Options of {@link loadWeights}.
 *
 * @example
 * loadWeights(layer, weights, { strict: false });
 */
export interface LoadWeightsOptions {
  /** Throw when a parameter or buffer has no entry (default true); otherwise leave it as is. */
  readonly strict?: boolean;
}

/**
 * Copies named arrays into a layer's parameters and buffers, in place (optimizers and views keep
 * their references). Entries are matched by full name (`dense_1.weights`, `batch_norm.runningMean`);
 * entries for other layers are ignored, so one checkpoint can be offered to every layer of a model.
 *
 * Every entry must have the target's shape, not only its length: a PyTorch `nn.Linear` weight
 * (`[out, in]`) offered to a Dense kernel (`[in, out]`) is refused, naming the tensor, its shape
 * and the expected one (pass its transpose). So an array of rank 2 or more must come with its
 * shape, as a `Tensor` or `{ data, shape }`; a bare typed array is accepted only for a target of
 * rank 0 or 1, where its length is its shape. Float32 and float64 load into either (converted).
 * Everything is checked before anything is copied: a refused call leaves the layer as it was.
 * Returns the names that were loaded.
 *
 * @example
 * const saved = collectWeights(trained);      // { 'dense.weights': Tensor [4, 3], 'dense.biases': Tensor [3] }
 * loadWeights(layerFromConfig(trained.getConfig()), saved);
 * // A PyTorch nn.Linear(4, 3) state dict, weight [3, 4] and bias [3]:
 * loadWeights(dense, { 'dense.weights': tensor(torchWeight, { shape: [3, 4] }).transpose(), 'dense.biases': torchBias });
 */
export function loadWeights(
  layer: Layer<TensorLike>,
  weights: Readonly<Record<string, WeightSource>>,
  options: LoadWeightsOptions = {},
): string[] {
  const operation = `loadWeights "${layer.name}"`;
  const strict = options.strict ?? true;
  const copies: Array<{ target: FloatArray; values: ArrayLike<number>; name: string }> = [];
  for (const target of [...layer.parameters(), ...layer.buffers()]) {
    const source = Object.hasOwn(weights, target.name) ? weights[target.name] : undefined;
    if (source === undefined) {
      if (strict)
        throw new AnnetError(
          'NOT_FOUND',
          operation,
          `no array named "${target.name}" among ${Object.keys(weights).length} entries; pass { strict: false } to skip it`,
        );
      continue;
    }
    copies.push({
      target: target.value,
      values: checkedValues(source, target.name, target.shape, operation),
      name: target.name,
    });
  }
  for (const { target, values } of copies) target.set(values);
  return copies.map((copy) => copy.name);
}

/** The source's elements in row-major order, after checking its type and that its shape is `shape`. */
function checkedValues(
  source: WeightSource,
  name: string,
  shape: readonly number[],
  operation: string,
): ArrayLike<number> {
  if (source instanceof Float32Array || source instanceof Float64Array) {
    if (shape.length >= 2) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `"${name}" is a bare ${arrayKind(source)} of ${source.length} values, but the layer's array has shape ${formatShape(shape)}; pass it with its shape ({ data, shape: ${formatShape(shape)} } or a Tensor), so that another layout (a PyTorch [out, in] weight) cannot load silently`,
      );
    }
    if (source.length !== (shape.length === 0 ? 1 : shape[0])) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `"${name}" has ${source.length} values (shape [${source.length}]), expected shape ${formatShape(shape)}`,
      );
    }
    return source;
  }
  if (
    typeof source !== 'object' ||
    source === null ||
    !Array.isArray((source as { shape?: unknown }).shape) ||
    !ArrayBuffer.isView((source as { data?: unknown }).data)
  ) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `"${name}" must be a Tensor, { data, shape } or (rank 0 or 1) a Float32Array or Float64Array, got ${Object.prototype.toString.call(source)}`,
    );
  }
  const { data, shape: sourceShape } = source;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `"${name}" holds a ${arrayKind(data)}; expected float32 or float64 values`,
    );
  }
  if (!shapesEqual(sourceShape, shape)) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `"${name}" has shape ${formatShape(sourceShape)}, the layer's is ${formatShape(shape)}${layoutHint(sourceShape, shape)}`,
    );
  }
  // A Tensor or TensorLike may be a strided view (a transpose): read it in logical row-major order.
  const view =
    source instanceof Tensor
      ? source
      : new Tensor(
          data,
          sourceShape,
          (source as Partial<TensorLike>).strides,
          (source as Partial<TensorLike>).offset ?? 0,
        );
  return view.contiguous().data;
}

/** Why two shapes with the same elements differ, for the message: most often a PyTorch layout. */
function layoutHint(got: readonly number[], expected: readonly number[]): string {
  if (got.length === 2 && expected.length === 2 && got[0] === expected[1] && got[1] === expected[0]) {
    return ` (the transposed layout: a PyTorch nn.Linear weight is [out, in], an annet Dense kernel [in, out]; pass its transpose, e.g. tensor(w, { shape: ${formatShape(got)} }).transpose())`;
  }
  const size = (dims: readonly number[]) => dims.reduce((product, dimension) => product * dimension, 1);
  return size(got) === size(expected)
    ? " (the same number of values in another layout; reshape or transpose it to the layer's layout)"
    : '';
}

function arrayKind(array: ArrayBufferView): string {
  return Object.prototype.toString.call(array).slice(8, -1);
}

/**
 * The layer's parameters and buffers by full name, as tensors of their shapes viewing the layer's
 * own arrays (not copies: `clone()` them to keep a snapshot). What {@link loadWeights} takes.
 *
 * @example
 * collectWeights(new Dense(2, 3)); // { 'dense.weights': Tensor [2, 3], 'dense.biases': Tensor [3] }
 */
export function collectWeights(layer: Layer<TensorLike>): Record<string, Tensor> {
  const weights: Record<string, Tensor> = {};
  for (const entry of [...layer.parameters(), ...layer.buffers()])
    weights[entry.name] = new Tensor(entry.value, entry.shape);
  return weights;
}
