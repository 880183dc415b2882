import type { FloatDType } from '@annet/layer-api';
import { activeKernels, type MatmulArguments } from '@annet/tensor';
import type { FloatData } from '../buffers.js';

/**
 * The per-time-step matrix product of a recurrent layer, straight into the active kernels
 * (`@annet/tensor`'s `activeKernels()`, the same ones `matmul` uses): out (+)= op(A)·op(B) on
 * blocks given by array offsets and row strides, with one argument record reused on every
 * step, so a step makes no tensor views and allocates nothing.
 *
 * @example
 * const product = new StepProduct('float32');
 * // h_{t-1} [B,H] · W_hhᵀ ([4H,H] read transposed), added into the gates of step t:
 * product.run(states, t * B * H, H, false, weightHH, 0, H, true, gates, t * B * 4 * H, 4 * H, B, 4 * H, H, true);
 */
export class StepProduct {
  private readonly args: MatmulArguments<Float32Array | Float64Array>;

  constructor(private readonly dtype: FloatDType) {
    const empty = dtype === 'float32' ? new Float32Array(0) : new Float64Array(0);
    this.args = {
      a: empty,
      aOffset: 0,
      lda: 0,
      transposeA: false,
      b: empty,
      bOffset: 0,
      ldb: 0,
      transposeB: false,
      out: empty,
      outOffset: 0,
      ldc: 0,
      m: 0,
      n: 0,
      k: 0,
      accumulate: false,
    };
  }

  /** out[outOffset + i·ldc + j] (+)= Σ_p op(A)[i, p]·op(B)[p, j] for i < m, j < n, p < k. */
  run(
    a: FloatData,
    aOffset: number,
    lda: number,
    transposeA: boolean,
    b: FloatData,
    bOffset: number,
    ldb: number,
    transposeB: boolean,
    out: FloatData,
    outOffset: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    accumulate: boolean,
  ): void {
    const args = this.args;
    args.a = a;
    args.aOffset = aOffset;
    args.lda = lda;
    args.transposeA = transposeA;
    args.b = b;
    args.bOffset = bOffset;
    args.ldb = ldb;
    args.transposeB = transposeB;
    args.out = out;
    args.outOffset = outOffset;
    args.ldc = ldc;
    args.m = m;
    args.n = n;
    args.k = k;
    args.accumulate = accumulate;
    const kernels = activeKernels();
    if (this.dtype === 'float32') kernels.matmulFloat32(args as MatmulArguments<Float32Array>);
    else kernels.matmulFloat64(args as MatmulArguments<Float64Array>);
  }
}
