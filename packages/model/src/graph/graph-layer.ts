import type { MultiInputLayer } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import type { ModelLayer } from '../sequential/model-layer.js';

/**
 * A layer of several inputs as a graph model uses it: the `@annet/layer-api` contract over annet
 * tensors plus the optional naming and initialization members of {@link ModelLayer}. `@annet/layers`'
 * merge layers (`Add`, `Concatenate`…) are such layers.
 *
 * @example
 * const add: MultiInputModelLayer = new Add();
 */
export type MultiInputModelLayer = MultiInputLayer<Tensor> &
  Omit<ModelLayer, keyof MultiInputLayer<Tensor> | 'forward' | 'backward' | 'outputShape'>;

/**
 * Any layer a graph node can hold: one input ({@link ModelLayer}) or several ({@link MultiInputModelLayer}).
 *
 * @example
 * const layers: GraphLayer[] = [new Dense(4, 8), new Add()];
 */
export type GraphLayer = ModelLayer | MultiInputModelLayer;

/**
 * `true` for a layer that takes an array of inputs (it says so with `multiInput: true`).
 *
 * @example
 * isMultiInput(new Add()); // true
 */
export function isMultiInput(layer: GraphLayer): layer is MultiInputModelLayer {
  return (layer as { multiInput?: unknown }).multiInput === true;
}
