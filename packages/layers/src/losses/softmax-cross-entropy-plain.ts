import { AnnetError, type FloatDType, type Tensor } from '@annet/tensor';
import type { FloatData } from '../buffers.js';
import { logSumExpRow } from './log-softmax-rows.js';
import { gradientBuffer, reductionScale, type LossResult } from './loss.js';

/**
 * The common case of {@link softmaxCrossEntropy} (class labels; no weight, smoothing, ignore
 * index or mask; `'mean'` or `'sum'`): checks every label, then runs {@link plainLabelRows}, so
 * a training step reads the logits once per row, allocates nothing (with `out`) and writes the
 * gradient once.
 *
 * @example
 * plainLabelLoss(logits, labels, 10, 64, 'mean', gradientTensor); // { loss, gradient }
 */
export function plainLabelLoss(
  logits: Tensor<FloatDType>,
  labels: Tensor,
  classes: number,
  rows: number,
  reduction: 'mean' | 'sum',
  out: Tensor | undefined,
): LossResult {
  const operation = 'softmaxCrossEntropy';
  for (let row = 0; row < rows; row++) {
    const label = labels.data[labels.offset + row];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        operation,
        `label ${label} at row ${row} is not a class index in [0, ${classes})`,
      );
    }
  }
  if (reduction === 'mean' && rows === 0)
    reductionScale(operation, reduction, 0, 'the number of positions not ignored or masked');
  const gradient = gradientBuffer(operation, logits, out);
  const scale = reduction === 'mean' ? 1 / rows : 1;
  const total = plainLabelRows(
    logits.data as FloatData,
    logits.offset,
    labels.data,
    labels.offset,
    gradient.data as FloatData,
    gradient.offset,
    rows,
    classes,
    scale,
  );
  return { loss: total * scale, gradient };
}

/**
 * Softmax cross-entropy and its gradient for class labels, one row of C logits z at a time:
 * m = maxⱼ zⱼ, s = Σⱼ e^(zⱼ − m) (float64), log p_c = z_c − (m + log s) rounded to the gradient's
 * dtype, then gradient_c = scale·e^(log p_c), minus scale at the label y, and the row's loss
 * −log p_y. Returns Σₙ −log p_yₙ (unscaled). These are the operations, in the same order, of
 * the `logSoftmax` op followed by the loop that turned its output into the gradient, so the
 * bits are those of that two-pass version; only the second sweep over memory is gone. The
 * gradient may be the logits' own buffer (each row is read before it is written).
 *
 * @example
 * const total = plainLabelRows(z.data, 0, labels.data, 0, gradient.data, 0, 64, 10, 1 / 64);
 */
export function plainLabelRows(
  logits: FloatData,
  logitsOffset: number,
  labels: ArrayLike<number>,
  labelsOffset: number,
  gradient: FloatData,
  gradientOffset: number,
  rows: number,
  classes: number,
  scale: number,
): number {
  let total = 0;
  for (let row = 0; row < rows; row++) {
    const start = logitsOffset + row * classes;
    const end = start + classes;
    const logTotal = logSumExpRow(logits, start, end);
    const label = labels[labelsOffset + row];
    const at = gradientOffset + row * classes - start;
    for (let index = start; index < end; index++) {
      // Stored, then read back: log p rounded to the dtype, as the op's output held it.
      gradient[at + index] = logits[index] - logTotal;
      const logProbability = gradient[at + index];
      if (index - start === label) total -= logProbability;
      gradient[at + index] = scale * Math.exp(logProbability);
    }
    gradient[at + start + label] -= scale;
  }
  return total;
}
