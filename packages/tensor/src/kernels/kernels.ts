import type { ParameterMemory } from '@annet/layer-api';

/**
 * The internal kernel interface: the hot loops that a faster backend (WebAssembly SIMD) can
 * replace without touching the public API. The TypeScript implementation (`js-kernels.ts`) is
 * the reference every other backend is tested against.
 *
 * Matrices are row-major with explicit leading dimensions:
 * - `a` holds op(A) of shape [m, k]: A is stored [m, k] (element (i, p) at `aOffset + i * lda + p`)
 *   or, when `transposeA`, stored [k, m] (element (i, p) at `aOffset + p * lda + i`);
 * - `b` holds op(B) of shape [k, n]: stored [k, n] or, when `transposeB`, [n, k];
 * - `out` is [m, n] at `outOffset + i * ldc + j`.
 * With `accumulate` the product is added to `out`, otherwise `out` is overwritten.
 */
export interface MatmulArguments<T extends Float32Array | Float64Array> {
  a: T;
  aOffset: number;
  lda: number;
  transposeA: boolean;
  b: T;
  bOffset: number;
  ldb: number;
  transposeB: boolean;
  out: T;
  outOffset: number;
  ldc: number;
  m: number;
  n: number;
  k: number;
  accumulate: boolean;
}

/** A set of kernels. Every backend implements all of it (falling back to the reference where it has nothing faster). */
export interface Kernels {
  /** `'js'`, `'wasm-simd'` or `'wasm-relaxed-simd'`. */
  readonly name: string;
  /** out (+)= op(A) · op(B) in float32. */
  matmulFloat32(args: MatmulArguments<Float32Array>): void;
  /** out (+)= op(A) · op(B) in float64. */
  matmulFloat64(args: MatmulArguments<Float64Array>): void;
  /**
   * Optional fused Dense forward: out[i, j] = act((out[i, j] if accumulate) + (op(A)·op(B))[i, j] + bias[biasOffset + j])
   * in one pass over `out`, so `x·W + b` then ReLU costs no second sweep. The WebAssembly backend
   * has it; callers fall back to matmul then a bias/activation loop when it is absent:
   * `kernels.matmulBiasActivationFloat32 ? kernels.matmulBiasActivationFloat32(args, bias, 0, 'relu') : ...`.
   */
  matmulBiasActivationFloat32?(
    args: MatmulArguments<Float32Array>,
    bias: Float32Array,
    biasOffset: number,
    activation: MatmulActivation,
  ): void;
  /**
   * Optional: `batch.outer · batch.inner` float32 products with the shapes, transposes and leading
   * dimensions of `args`, product (i, j) (outer index i, inner index j) reading A at
   * `aOffset + i·batch.a[0] + j·batch.a[1]` (B and out likewise with `batch.b`, `batch.out`): a
   * batched matmul (attention's per-head products) in one call, which the WebAssembly backend
   * deals out across its kernel threads as whole products. Callers loop over
   * {@link Kernels.matmulFloat32} when it is absent.
   */
  matmulBatchFloat32?(args: MatmulArguments<Float32Array>, batch: MatmulBatch): void;
  /**
   * Optional: a zero-filled Float32Array that these kernels read and write in place (the
   * WebAssembly backend's shared memory), or `null` when none can be had. Arrays from anywhere
   * else are copied per product. Used through {@link residentZeros}.
   */
  allocateFloat32?(length: number): Float32Array | null;
  /**
   * Optional: the kernels' memory as a `ParameterMemory` of `@annet/layer-api` when every one of
   * `arrays` is a view of it and views of it survive its growth (a shared memory), else `null`.
   * Used through {@link residentParameterMemory}.
   */
  parameterMemoryOf?(arrays: readonly (Float32Array | Float64Array)[]): ParameterMemory | null;
}

/**
 * The batch of {@link Kernels.matmulBatchFloat32}: two batch axes (outer, inner) and each
 * operand's element strides along them, `[outer stride, inner stride]`.
 *
 * @example
 * const batch: MatmulBatch = { outer: 12, inner: 4, a: [8192, 32], b: [8192, 32], out: [16384, 4096] };
 */
export interface MatmulBatch {
  /** Products along the outer axis. */
  readonly outer: number;
  /** Products along the inner axis. */
  readonly inner: number;
  /** A's strides along the outer and inner axes, in elements. */
  readonly a: readonly [number, number];
  /** B's strides along the outer and inner axes, in elements. */
  readonly b: readonly [number, number];
  /** out's strides along the outer and inner axes, in elements. */
  readonly out: readonly [number, number];
}

/** The activation a fused matmul epilogue applies after the bias: identity or max(0, x). */
export type MatmulActivation = 'none' | 'relu';
