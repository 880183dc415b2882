export { AnnetError, formatShape, type AnnetErrorCode } from './errors.js';
export { allocate, bytesPerElement, type DType, type FloatDType, type TypedArray, type TypedArrayFor } from './dtype.js';
export { broadcastShapes, checkShape, contiguousStrides, normalizeAxis, shapesEqual, sizeOf } from './shape.js';
export { Tensor, type NestedArray, type SliceSpec } from './tensor.js';
export { arange, eye, full, linspace, ones, onesLike, tensor, zeros, zerosLike, type TensorOptions } from './create.js';
export { Rng, createRng, randomNormal, randomUniform, rngFromState, type RngState } from './random.js';
export type { Kernels, MatmulArguments } from './kernels/kernels.js';
export * from './io/index.js';
