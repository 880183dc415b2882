/**
 * @annet/model: Sequential and graph (functional) models with fit, evaluate and predict (methods on the model), streaming
 * metrics, checkpointable callbacks and exact resume from a checkpoint. Browser-safe; file-writing
 * parts (file checkpoint store, CSV logger) are in `@annet/model/node`.
 */
export { Sequential, type SequentialConfig, type SequentialOptions } from './sequential/sequential.js';
export type { ModelLayer } from './sequential/model-layer.js';
export {
  checkModelState,
  readModelState,
  writeModelState,
  type ModelState,
  type ModelStateChecks,
} from './sequential/model-state.js';
export type { LayerSummary, ModelSummary } from './sequential/summary.js';

export { Model, type ModelOptions } from './graph/model.js';
export { input, SymbolicTensor, type GraphNode, type InputOptions } from './graph/symbolic-tensor.js';
export { apply } from './graph/apply.js';
export { isMultiInput, type GraphLayer, type MultiInputModelLayer } from './graph/graph-layer.js';
export type { ModelConfig } from './graph/model-config.js';
export type { GraphSummary, GraphSummaryRow } from './graph/graph-summary.js';
export type { ModelInputs, NamedTensors } from './graph/named-tensors.js';
export { transformerBlock, type TransformerBlockOptions } from './transformer/transformer-block.js';
export { gptModel, type GptOptions } from './transformer/gpt.js';
export { generate, type GenerateOptions } from './generation/generate.js';
export { WeightSnapshot, weightsAreFinite, type WeightOwner } from './sequential/weights.js';

export type { FitOptions } from './training/fit-options.js';
export type { AsyncEvaluateOptions, EvaluateOptions } from './training/evaluate.js';
export {
  autoYieldMilliseconds,
  autoYieldMillisecondsWithSignal,
  isBrowserLike,
  resolveYieldEvery,
  type YieldEvery,
  type YieldPolicy,
} from './training/yield-every.js';
export { EventLoopYielder, YieldScheduler, type YieldMechanism } from './training/event-loop-yielder.js';
export type { TensorPair, TrainingData } from './training/data-source.js';
export type { LossSpec } from './training/loss-spec.js';
export type { MetricSpec } from './training/metric-set.js';
export type { TrainingContext } from './training/training-context.js';
export { withoutWallClock } from './training/wall-clock.js';
export type { CallbackModel, TrainableModel } from './training/training-model.js';

export * from './callbacks/index.js';
export * from './metrics/index.js';
export { formatConfusionMatrix } from './format/confusion-matrix.js';
export { formatCount, formatTable, type ColumnAlignment } from './format/table.js';
export { annetVersion } from './version.js';
export {
  loadModel,
  modelFileFormat,
  modelFileFormatVersion,
  saveModel,
  type LoadModelOptions,
  type SavedModel,
} from './saving/model-file.js';
