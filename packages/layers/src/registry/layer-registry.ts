import type { LayerConfig } from '@annet/layer-api';
import { graphLayerFromRegistry, layerFromRegistry } from './layer-lookup.js';
import { ELU } from '../activations/elu.js';
import { GELU } from '../activations/gelu.js';
import { LeakyReLU } from '../activations/leaky-relu.js';
import { ReLU } from '../activations/relu.js';
import { Sigmoid } from '../activations/sigmoid.js';
import { Softmax } from '../activations/softmax.js';
import { Tanh } from '../activations/tanh.js';
import type { BaseLayer } from '../base-layer.js';
import { AvgPool2D } from '../convolution/avg-pool2d.js';
import { Conv2D } from '../convolution/conv2d.js';
import { MaxPool2D } from '../convolution/max-pool2d.js';
import { Dense } from '../core/dense.js';
import { Dropout } from '../core/dropout.js';
import { Embedding } from '../core/embedding.js';
import { Flatten } from '../core/flatten.js';
import { Reshape } from '../core/reshape.js';
import { MultiHeadAttention } from '../attention/multi-head-attention.js';
import { PositionalEmbedding } from '../attention/positional-embedding.js';
import { SinusoidalPositionalEncoding } from '../attention/sinusoidal-positional-encoding.js';
import { TransposedEmbedding } from '../attention/transposed-embedding.js';
import { BatchNorm } from '../normalization/batch-norm.js';
import { LayerNorm } from '../normalization/layer-norm.js';
import { GlobalAveragePooling2D } from '../convolution/global-average-pooling2d.js';
import { Add } from '../merge/add.js';
import { Average } from '../merge/average.js';
import { Concatenate } from '../merge/concatenate.js';
import { Maximum } from '../merge/maximum.js';
import type { MergeLayer } from '../merge/merge-layer.js';
import { Multiply } from '../merge/multiply.js';
import { Subtract } from '../merge/subtract.js';
import { Bidirectional } from '../recurrent/bidirectional.js';
import { GRU } from '../recurrent/gru.js';
import { LSTM } from '../recurrent/lstm.js';
import { FinalState } from '../recurrent/final-state.js';
import { InitialState } from '../recurrent/initial-state.js';
import { SequenceMask } from '../recurrent/sequence-mask-layer.js';
import { SimpleRNN } from '../recurrent/simple-rnn.js';

/**
 * Anything that rebuilds a layer from its config: every annet layer class has a static
 * `fromConfig`, and a custom layer class only needs one too.
 *
 * @example
 * const entry: LayerClass = Dense;
 */
export interface LayerClass {
  /** Rebuilds the layer from what its `getConfig()` returned (a merge layer for `Add`, `Concatenate`…). */
  fromConfig(config: LayerConfig): BaseLayer | MergeLayer;
}

/**
 * Class name → layer class, as {@link layerFromConfig} looks them up. An explicit object (no
 * registration at import time), so bundles keep only the layers they use.
 *
 * @example
 * const registry: LayerRegistry = { ...defaultLayerRegistry, MyLayer };
 */
export type LayerRegistry = Readonly<Record<string, LayerClass>>;

/**
 * Every layer of this package, keyed by `className`.
 *
 * @example
 * layerFromConfig(config, defaultLayerRegistry);
 */
export const defaultLayerRegistry = {
  Dense,
  Conv2D,
  MaxPool2D,
  AvgPool2D,
  GlobalAveragePooling2D,
  BatchNorm,
  LayerNorm,
  Embedding,
  Dropout,
  Flatten,
  Reshape,
  ReLU,
  LeakyReLU,
  ELU,
  GELU,
  Sigmoid,
  Tanh,
  Softmax,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Concatenate,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
  SequenceMask,
  InitialState,
  FinalState,
  MultiHeadAttention,
  PositionalEmbedding,
  SinusoidalPositionalEncoding,
  TransposedEmbedding,
} as const satisfies LayerRegistry;

/**
 * Rebuilds a layer from its config through a registry (default: every layer of this package).
 * Weights are not part of a config: load them afterwards by name with {@link loadWeights}. To
 * keep a bundle to the layers it uses, call `layerFromRegistry` with your own registry.
 *
 * @example
 * const copy = layerFromConfig(dense.getConfig());
 * loadWeights(copy, collectWeights(dense));
 */
export function layerFromConfig(config: LayerConfig, registry: LayerRegistry = defaultLayerRegistry): BaseLayer {
  return layerFromRegistry(config, registry, 'layerFromConfig');
}

/**
 * Rebuilds any layer from its config, single-input or merge (`Add`, `Concatenate`…), through a
 * registry (default: every layer of this package): what a graph model's `fromConfig` uses.
 *
 * @example
 * const add = graphLayerFromConfig({ className: 'Add', name: 'add_1' }); // an Add
 */
export function graphLayerFromConfig(
  config: LayerConfig,
  registry: LayerRegistry = defaultLayerRegistry,
): BaseLayer | MergeLayer {
  return graphLayerFromRegistry(config, registry, 'layerFromConfig');
}
