import type { MatmulArguments } from '../kernels/kernels.js';

/**
 * The activations {@link matmul} can apply after its product and bias: `'linear'` (identity) or
 * `'relu'` (max(0, x), NaN kept, −0 and −∞ mapped to +0, as the `relu` op and the ReLU layer).
 *
 * @example
 * const activation: FusedActivation = 'relu';
 * matmul(x, w, { bias: b, activation }); // relu(x·w + b)
 */
export type FusedActivation = 'linear' | 'relu';

/**
 * The reference epilogue of a fused matmul, for backends without a fused kernel (the TypeScript
 * kernels, and every float64 product): over the [m, n] block that `args` describes (row stride
 * `ldc` from `outOffset`), out[i, j] = act(out[i, j] + bias[biasOffset + j]), with no bias when
 * `bias` is null. One sweep over the block, right after the product wrote it, so the rows are
 * still in cache. Internal: the caller has validated everything.
 *
 * @example
 * kernels.matmulFloat64(args);
 * applyBiasActivation(args, bias.data, bias.offset, true); // out = relu(a·b + bias)
 */
export function applyBiasActivation(
  args: MatmulArguments<Float32Array | Float64Array>,
  bias: Float32Array | Float64Array | null,
  biasOffset: number,
  relu: boolean,
): void {
  const { out, outOffset, ldc, m, n } = args;
  for (let row = 0; row < m; row++) {
    const start = outOffset + row * ldc;
    if (bias !== null && relu) {
      for (let column = 0; column < n; column++)
        out[start + column] = reluOf(out[start + column] + bias[biasOffset + column]);
    } else if (bias !== null) {
      for (let column = 0; column < n; column++) out[start + column] += bias[biasOffset + column];
    } else if (relu) {
      for (let column = 0; column < n; column++) out[start + column] = reluOf(out[start + column]);
    }
  }
}

// Branch-free for finite values (random signs mispredict a `value > 0 ?` branch half the time):
// value·[value > 0] + 0 is value for value > 0 and +0 otherwise (the + 0 turns −0 into +0). It is
// NaN only for NaN or −∞; that rare case takes the second test, which keeps NaN and maps −∞ to 0.
// The same formula as the ReLU layer, so a fused Dense equals Dense then ReLU bit for bit.
function reluOf(value: number): number {
  const result = value * +(value > 0) + 0;
  return result === result ? result : value !== value ? value : 0;
}
