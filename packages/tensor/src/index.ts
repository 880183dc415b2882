export { AnnetError, formatShape, type AnnetErrorCode } from './errors.js';
export {
  allocate,
  bytesPerElement,
  type DType,
  type FloatDType,
  type TypedArray,
  type TypedArrayFor,
} from './dtype.js';
export { broadcastShapes, checkShape, contiguousStrides, normalizeAxis, shapesEqual, sizeOf } from './shape.js';
export { Tensor, type NestedArray, type SliceSpec } from './tensor.js';
export { arange, eye, full, linspace, ones, onesLike, tensor, zeros, zerosLike, type TensorOptions } from './create.js';
export { residentParameterMemory, residentZeros } from './resident.js';
export { Rng, createRng, randomNormal, randomUniform, rngFromState, type RngState } from './random.js';
export type { Kernels, MatmulArguments, MatmulBatch } from './kernels/kernels.js';
export {
  activeKernels,
  registerKernelsCandidate,
  useKernels,
  type KernelsSelector,
} from './kernels/kernel-selection.js';
export { jsKernels } from './kernels/js-kernels.js';
export {
  canBlockThisThread,
  startBrowserKernelThreads,
  type BrowserKernelThreadsHandle,
  type BrowserKernelThreadsOptions,
  type BrowserKernelThreadStart,
  type KernelWorker,
} from './kernels/browser-kernel-threads.js';
export { kernelInfo, setKernels, type KernelInfo, type KernelKind } from './kernels/kernel-info.js';
export { chooseKernels, type KernelChoice, type KernelChoiceOptions } from './kernels/kernel-choice.js';
export { matmul, type FusedActivation, type MatmulOptions } from './ops/matmul.js';
export { dot, outer } from './ops/dot.js';
export { add, div, maximum, minimum, mul, pow, sub, type ArithmeticOp } from './ops/elementwise-binary.js';
export { equal, greater, greaterEqual, less, lessEqual, notEqual } from './ops/compare.js';
export { where } from './ops/where.js';
export { abs, clip, exp, log, log1p, neg, reciprocal, relu, sigmoid, sign, sqrt, square, tanh } from './ops/unary.js';
export { cast, type CastOptions } from './ops/cast.js';
export { divisionDType, promoteDTypes, type FloatResult } from './ops/dtype-rules.js';
export type { ElementwiseOptions } from './ops/binary-engine.js';
export type { TensorOrNumber } from './ops/operands.js';
export { argmax, argmin, max, mean, min, prod, sum } from './ops/reduce.js';
export { logSumExp, std, variance } from './ops/moments.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export type { ReduceOptions } from './ops/reduce-engine.js';
export type { Axes } from './ops/reduce-plan.js';
export { concat, stack } from './ops/concat.js';
export { split } from './ops/split.js';
export { pad } from './ops/pad.js';
export { gather, type GatherOptions } from './ops/gather.js';
export { oneHot } from './ops/one-hot.js';
export { flatten } from './ops/flatten.js';
export { broadcastTo, expandDims, reshape, squeeze, transpose } from './ops/view-ops.js';
export type { IndicesLike } from './ops/indices.js';
export { col2im, im2col, type Im2colCallOptions } from './ops/im2col.js';
export { conv2dGeometry, type ConvGeometry, type Im2colOptions } from './ops/conv-geometry.js';
export * from './io/index.js';
export { geluTanhResident } from './ops/gelu-tanh.js';
export { layerNormBackwardResident, layerNormResident } from './ops/layer-norm-resident.js';
export { maskedSoftmaxBackwardResident, maskedSoftmaxResident } from './ops/masked-softmax-resident.js';
export { lstmCellBackwardResident, lstmCellForwardResident } from './ops/lstm-cell-resident.js';
export { gruCellBackwardResident, gruCellForwardResident } from './ops/gru-cell-resident.js';
export { softmaxCrossEntropyResident } from './ops/softmax-cross-entropy-resident.js';
export {
  addResident,
  columnSumsResident,
  multiplyResident,
  reluBackwardResident,
  reluResident,
} from './ops/elementwise-resident.js';
export { maxPool2x2Resident, maxUnpool2x2Resident } from './ops/max-pool-resident.js';
export {
  col2imBatchColumnsResident,
  im2colBatchColumnsResident,
  transposeBlocksResident,
} from './ops/im2col-batch-columns.js';
export {
  batchNormGradientSumsResident,
  batchNormInputGradientResident,
  batchNormNormalizeResident,
  channelSumsResident,
  type BatchNormGradientStatistics,
  type ChannelLayout,
} from './ops/batch-norm-resident.js';
