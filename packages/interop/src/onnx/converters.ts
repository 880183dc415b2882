import {
  convertDense,
  convertDropout,
  convertELU,
  convertEmbedding,
  convertFlatten,
  convertGELU,
  convertLeakyReLU,
  convertReLU,
  convertReshape,
  convertSigmoid,
  convertSoftmax,
  convertTanh,
} from './convert-core.js';
import {
  convertAdd,
  convertAverage,
  convertConcatenate,
  convertMaximum,
  convertMultiply,
  convertSubtract,
} from './convert-merge.js';
import { convertBatchNorm, convertLayerNorm } from './convert-normalization.js';
import { convertAvgPool2D, convertConv2D, convertGlobalAveragePooling2D, convertMaxPool2D } from './convert-spatial.js';
import {
  convertMultiHeadAttention,
  convertPositionalEmbedding,
  convertSinusoidalPositionalEncoding,
  convertTransposedEmbedding,
} from './convert-attention.js';
import { convertBidirectional, convertRecurrent } from './convert-recurrent.js';
import type { LayerConverter } from './layer-conversion.js';

/**
 * Layer `className` → its ONNX conversion. Pass `{ ...onnxConverters, MyLayer: convertMyLayer }`
 * to {@link exportOnnx} to export a custom layer.
 *
 * @example
 * exportOnnx(model, { converters: { ...onnxConverters, Square: (call, graph) => graph.node('Mul', [call.inputs[0], call.inputs[0]], {}, call.outputName) } });
 */
export const onnxConverters: Readonly<Record<string, LayerConverter>> = {
  Dense: convertDense,
  Conv2D: convertConv2D,
  MaxPool2D: convertMaxPool2D,
  AvgPool2D: convertAvgPool2D,
  GlobalAveragePooling2D: convertGlobalAveragePooling2D,
  BatchNorm: convertBatchNorm,
  LayerNorm: convertLayerNorm,
  Embedding: convertEmbedding,
  Dropout: convertDropout,
  Flatten: convertFlatten,
  Reshape: convertReshape,
  ReLU: convertReLU,
  LeakyReLU: convertLeakyReLU,
  ELU: convertELU,
  GELU: convertGELU,
  Sigmoid: convertSigmoid,
  Tanh: convertTanh,
  Softmax: convertSoftmax,
  Add: convertAdd,
  Subtract: convertSubtract,
  Multiply: convertMultiply,
  Average: convertAverage,
  Maximum: convertMaximum,
  Concatenate: convertConcatenate,
  SimpleRNN: convertRecurrent,
  LSTM: convertRecurrent,
  GRU: convertRecurrent,
  Bidirectional: convertBidirectional,
  MultiHeadAttention: convertMultiHeadAttention,
  PositionalEmbedding: convertPositionalEmbedding,
  SinusoidalPositionalEncoding: convertSinusoidalPositionalEncoding,
  TransposedEmbedding: convertTransposedEmbedding,
};
