import type { FloatArray, Layer, TensorLike } from '@annet/layer-api';
import { AnnetError, formatShape } from '@annet/tensor';

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
 * A Float32Array may load into a float64 layer and the reverse (values are converted).
 * Returns the names that were loaded.
 *
 * @example
 * const saved = collectWeights(trained);      // { 'dense.weights': Float32Array, 'dense.biases': ... }
 * loadWeights(layerFromConfig(trained.getConfig()), saved);
 */
export function loadWeights(layer: Layer<TensorLike>, weights: Readonly<Record<string, FloatArray>>, options: LoadWeightsOptions = {}): string[] {
  const operation = `loadWeights "${layer.name}"`;
  const strict = options.strict ?? true;
  const loaded: string[] = [];
  for (const target of [...layer.parameters(), ...layer.buffers()]) {
    const source = Object.hasOwn(weights, target.name) ? weights[target.name] : undefined;
    if (source === undefined) {
      if (strict) throw new AnnetError('NOT_FOUND', operation, `no array named "${target.name}" among ${Object.keys(weights).length} entries; pass { strict: false } to skip it`);
      continue;
    }
    if (!(source instanceof Float32Array || source instanceof Float64Array)) {
      throw new AnnetError('DTYPE_MISMATCH', operation, `"${target.name}" must be a Float32Array or Float64Array, got ${Object.prototype.toString.call(source)}`);
    }
    if (source.length !== target.value.length) {
      throw new AnnetError('SHAPE_MISMATCH', operation, `"${target.name}" has ${source.length} values, expected ${target.value.length} (shape ${formatShape(target.shape)})`);
    }
    target.value.set(source);
    loaded.push(target.name);
  }
  return loaded;
}

/**
 * The layer's parameters and buffers by full name. The arrays are the layer's own (not copies):
 * copy them to keep a snapshot.
 *
 * @example
 * collectWeights(new Dense(2, 3)); // { 'dense.weights': Float32Array(6), 'dense.biases': Float32Array(3) }
 */
export function collectWeights(layer: Layer<TensorLike>): Record<string, FloatArray> {
  const weights: Record<string, FloatArray> = {};
  for (const entry of [...layer.parameters(), ...layer.buffers()]) weights[entry.name] = entry.value;
  return weights;
}
