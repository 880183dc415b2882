import type { FloatDType } from '@annet/layer-api';
import { Tensor, type MatmulOptions } from '@annet/tensor';
import type { Workspace } from '../workspace.js';

/**
 * Every buffer and strided view one attention step of a `[batch, time, ·]` input uses, made once
 * per input shape (so a steady-state step allocates nothing):
 *
 * - `projected` `[batch, time, 3·heads·keySize]`: x·W_qkv + b_qkv, each row q | k | v, each of those
 *   head after head; `query`, `key`, `value` view it as `[batch, heads, time, keySize]` in place
 *   (row stride 3·heads·keySize), as `projectedGradient` is viewed by the three `…Gradient` views;
 * - `probabilities` `[batch, heads, time, time]`: the scores, then their masked softmax in place;
 *   `dropped` the probabilities after attention dropout (the same tensor without dropout);
 * - `attended` `[batch, time, heads·keySize]`: P·V with the heads side by side (`attendedHeads`
 *   views it per head), the input of the output projection; `attendedGradient` likewise.
 *
 * @example
 * const views = workspace.derive('views', 'float32', [2, 8, 16], makeAttentionViews(workspace, 4, 4, false));
 */
export interface AttentionViews {
  readonly batch: number;
  readonly time: number;
  readonly projected: Tensor;
  readonly projectedRows: Tensor;
  readonly query: Tensor;
  readonly key: Tensor;
  readonly value: Tensor;
  readonly probabilities: Tensor;
  readonly dropped: Tensor;
  readonly dropMask: Tensor | null;
  readonly attended: Tensor;
  readonly attendedRows: Tensor;
  readonly attendedHeads: Tensor;
  readonly projectedGradient: Tensor;
  readonly projectedGradientRows: Tensor;
  readonly queryGradient: Tensor;
  readonly keyGradient: Tensor;
  readonly valueGradient: Tensor;
  readonly probabilityGradient: Tensor;
  readonly attendedGradient: Tensor;
  readonly attendedGradientHeads: Tensor;
  /** Matmul option objects, made once; their `out` never changes. */
  readonly scoresOptions: MatmulOptions;
  readonly attendOptions: MatmulOptions;
  readonly probabilityGradientOptions: MatmulOptions;
  readonly valueGradientOptions: MatmulOptions;
  readonly queryGradientOptions: MatmulOptions;
  readonly keyGradientOptions: MatmulOptions;
}

/**
 * The function {@link Workspace.derive} calls to build the {@link AttentionViews} of one input
 * shape `[batch, time, embedding]`: buffers from `workspace`, views over them.
 *
 * @example
 * const make = makeAttentionViews(workspace, heads, keySize, dropout > 0);
 */
export function makeAttentionViews(
  workspace: Workspace,
  heads: number,
  keySize: number,
  withDropout: boolean,
): (shape: readonly number[], dtype: FloatDType) => AttentionViews {
  return (shape, dtype) => {
    const [batch, time] = shape;
    const width = heads * keySize;
    const projected = workspace.buffer('projected', dtype, [batch, time, 3 * width]);
    const projectedGradient = workspace.buffer('projectedGradient', dtype, [batch, time, 3 * width]);
    const probabilities = workspace.buffer('probabilities', dtype, [batch, heads, time, time]);
    const dropMask = withDropout ? workspace.buffer('dropMask', dtype, [batch, heads, time, time]) : null;
    const dropped = withDropout ? workspace.buffer('dropped', dtype, [batch, heads, time, time]) : probabilities;
    const attended = workspace.buffer('attended', dtype, [batch, time, width]);
    const attendedGradient = workspace.buffer('attendedGradient', dtype, [batch, time, width]);
    const probabilityGradient = workspace.buffer('probabilityGradient', dtype, [batch, heads, time, time]);
    // Head h of q (k, v) at time t is columns [h·keySize, (h+1)·keySize) of block 0 (1, 2) of row t.
    const headView = (source: Tensor, rowWidth: number, offset: number) =>
      new Tensor(source.data, [batch, heads, time, keySize], [time * rowWidth, keySize, rowWidth, 1], offset);
    const query = headView(projected, 3 * width, 0);
    const key = headView(projected, 3 * width, width);
    const value = headView(projected, 3 * width, 2 * width);
    const queryGradient = headView(projectedGradient, 3 * width, 0);
    const keyGradient = headView(projectedGradient, 3 * width, width);
    const valueGradient = headView(projectedGradient, 3 * width, 2 * width);
    const attendedHeads = headView(attended, width, 0);
    const attendedGradientHeads = headView(attendedGradient, width, 0);
    return {
      batch,
      time,
      projected,
      projectedRows: projected.reshape([batch * time, 3 * width]),
      query,
      key,
      value,
      probabilities,
      dropped,
      dropMask,
      attended,
      attendedRows: attended.reshape([batch * time, width]),
      attendedHeads,
      projectedGradient,
      projectedGradientRows: projectedGradient.reshape([batch * time, 3 * width]),
      queryGradient,
      keyGradient,
      valueGradient,
      probabilityGradient,
      attendedGradient,
      attendedGradientHeads,
      scoresOptions: { transposeB: true, out: probabilities },
      attendOptions: { out: attendedHeads },
      probabilityGradientOptions: { transposeB: true, out: probabilityGradient },
      valueGradientOptions: { transposeA: true, out: valueGradient },
      queryGradientOptions: { out: queryGradient },
      keyGradientOptions: { transposeA: true, out: keyGradient },
    };
  };
}
