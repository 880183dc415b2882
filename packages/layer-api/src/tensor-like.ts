/** The element types an annet tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32';

/** The floating-point element types; parameters and gradients use one of these. */
export type FloatDType = 'float32' | 'float64';

/** The typed array behind a floating-point parameter or gradient. */
export type FloatArray = Float32Array | Float64Array;

/**
 * The structural shape of a tensor as layers exchange it.
 *
 * `@annet/layer-api` cannot import `@annet/tensor`, so layers are written against this minimal
 * structure; `@annet/tensor`'s `Tensor` satisfies it (a type test in `@annet/layers`, which depends on both, checks that).
 * Element `(i0, …, ik)` lives at `data[offset + i0 * strides[0] + … + ik * strides[k]]`.
 */
export interface TensorLike {
  /** Element type of `data`. */
  readonly dtype: DType;
  /** Size of each dimension, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Distance in elements between neighbours along each dimension. */
  readonly strides: readonly number[];
  /** Index in `data` of the first element. */
  readonly offset: number;
  /** Number of elements: the product of `shape`. */
  readonly size: number;
  /** The typed array holding the elements (possibly shared with other views). */
  readonly data: Float32Array | Float64Array | Int32Array;
}
