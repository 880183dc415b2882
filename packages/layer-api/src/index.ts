export type { JsonObject, JsonValue } from './json.js';
export type { DType, FloatArray, FloatDType, TensorLike } from './tensor-like.js';
export type {
  ParallelKernels,
  ParallelModule,
  Parameter,
  ParameterMemory,
  StateBuffer,
  Trainable,
} from './parameter.js';
export type { BackwardOptions, ForwardOptions, Layer, LayerConfig, LayerConfigValue } from './layer.js';
export { AnnetError, formatShape, type AnnetErrorCode, type AnnetErrorLike } from './errors.js';
export type { MultiInputLayer } from './multi-input-layer.js';
