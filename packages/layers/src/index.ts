export { BaseLayer, initialRng, seedConfig, type LayerOptions, type SeededLayerOptions } from './base-layer.js';
export { LayerBuffer, LayerParameter } from './layer-parameter.js';
export { contiguousInput } from './buffers.js';
export { Workspace } from './workspace.js';

export { ElementwiseActivation } from './activations/elementwise-activation.js';
export { ReLU } from './activations/relu.js';
export { LeakyReLU, type LeakyReLUOptions } from './activations/leaky-relu.js';
export { ELU, type ELUOptions } from './activations/elu.js';
export { GELU, type GELUOptions } from './activations/gelu.js';
export { Sigmoid } from './activations/sigmoid.js';
export { Tanh } from './activations/tanh.js';
export { Softmax, type SoftmaxOptions } from './activations/softmax.js';
export { erf } from './activations/erf.js';

export { Dense, type DenseOptions } from './core/dense.js';
export type { DenseActivation } from './core/dense-activation.js';
export { defaultKernelInitializer, type ActivationHint, type KernelOptions } from './core/kernel-options.js';
export { Dropout, type DropoutOptions } from './core/dropout.js';
export { Flatten } from './core/flatten.js';
export { Reshape } from './core/reshape.js';
export { ReshapingLayer } from './core/reshaping-layer.js';
export { Embedding, type EmbeddingOptions } from './core/embedding.js';

export { Conv2D, type Conv2DOptions } from './convolution/conv2d.js';
export { MaxPool2D } from './convolution/max-pool2d.js';
export { AvgPool2D, type AvgPool2DOptions } from './convolution/avg-pool2d.js';
export { GlobalAveragePooling2D } from './convolution/global-average-pooling2d.js';
export { Pool2D, type Pool2DOptions } from './convolution/pool2d.js';
export { windowGeometry, type Padding, type PairOption, type WindowGeometry } from './convolution/geometry.js';

export { MergeLayer, describeSymbolicShape } from './merge/merge-layer.js';
export { ElementwiseMerge } from './merge/elementwise-merge.js';
export { Add } from './merge/add.js';
export { Subtract } from './merge/subtract.js';
export { Multiply } from './merge/multiply.js';
export { Average } from './merge/average.js';
export { Maximum } from './merge/maximum.js';
export { Concatenate } from './merge/concatenate.js';

export { RecurrentLayer, type RecurrentBackwardOptions, type RecurrentOptions } from './recurrent/recurrent-layer.js';
export { SimpleRNN, type SimpleRNNOptions } from './recurrent/simple-rnn.js';
export { LSTM } from './recurrent/lstm.js';
export { GRU } from './recurrent/gru.js';
export { Bidirectional, type BidirectionalMerge, type BidirectionalOptions } from './recurrent/bidirectional.js';
export { attachMask, maskOf } from './recurrent/sequence-mask.js';
export { SequenceMask } from './recurrent/sequence-mask-layer.js';
export { InitialState } from './recurrent/initial-state.js';
export { FinalState, type FinalStateOptions } from './recurrent/final-state.js';
export {
  MultiHeadAttention,
  type AttentionForwardOptions,
  type MultiHeadAttentionOptions,
} from './attention/multi-head-attention.js';
export {
  maskedSoftmax,
  maskedSoftmaxBackward,
  type AttentionMaskGeometry,
  type FullyMaskedRows,
} from './attention/masked-softmax.js';
export { PositionalEmbedding, type PositionalEmbeddingOptions } from './attention/positional-embedding.js';
export {
  SinusoidalPositionalEncoding,
  type SinusoidalPositionalEncodingOptions,
} from './attention/sinusoidal-positional-encoding.js';
export { TransposedEmbedding, type TransposedEmbeddingOptions } from './attention/transposed-embedding.js';

export { BatchNorm, type BatchNormOptions } from './normalization/batch-norm.js';
export { LayerNorm, type LayerNormOptions } from './normalization/layer-norm.js';

export type { LossFunction, LossOptions, LossReduction, LossResult } from './losses/loss.js';
export type { ClassWeights } from './losses/class-weights.js';
export { meanSquaredError } from './losses/mean-squared-error.js';
export { meanAbsoluteError } from './losses/mean-absolute-error.js';
export { huber, type HuberOptions } from './losses/huber.js';
export { binaryCrossEntropy, type BinaryCrossEntropyOptions } from './losses/binary-cross-entropy.js';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './losses/softmax-cross-entropy.js';
export { lossFromName, losses, type LossName } from './losses/loss-registry.js';

export type { Fans, Initializer, InitializerConfig, InitializerName } from './initializers/initializer.js';
export {
  constantInitializer,
  initializers,
  normalInitializer,
  uniformInitializer,
} from './initializers/initializers.js';
export { initializerFromConfig } from './initializers/initializer-from-config.js';

export {
  defaultLayerRegistry,
  graphLayerFromConfig,
  layerFromConfig,
  type LayerClass,
  type LayerRegistry,
} from './registry/layer-registry.js';
export { graphLayerFromRegistry, layerFromRegistry } from './registry/layer-lookup.js';
export { collectWeights, loadWeights, type LoadWeightsOptions, type WeightSource } from './registry/load-weights.js';
