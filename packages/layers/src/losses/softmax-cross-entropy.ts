import { AnnetError, formatShape, logSoftmax, shapesEqual, type Tensor } from '@annet/tensor';
import { contiguousInput } from '../buffers.js';
import { gradientBuffer, readPredictions, readReduction, type LossOptions, type LossResult } from './loss.js';

/**
 * Softmax cross-entropy from logits, fused (PyTorch's `CrossEntropyLoss`, Keras's
 * `CategoricalCrossentropy(from_logits=True)`), stable for logits of any size (±1e4 included).
 *
 * Logits z of shape [..., C] (usually [N, C]); targets either integer class labels shaped like
 * the logits without the last axis (usually [N], int32 or integer-valued floats) or
 * probabilities t shaped like the logits (one-hot or soft). Per row, with log pᵢ = zᵢ − logΣⱼe^(zⱼ):
 * ℓ = −Σᵢ tᵢ log pᵢ and dℓ/dzᵢ = pᵢ·Σⱼtⱼ − tᵢ (= pᵢ − tᵢ for a distribution). `'mean'` averages
 * over the rows (N), `'sum'` adds them.
 *
 * @example
 * const labels = tensor([2, 0], { dtype: 'int32' });
 * softmaxCrossEntropy(tensor([[0, 0, 0], [0, 0, 0]]), labels).loss; // log 3
 */
export function softmaxCrossEntropy(predictions: Tensor, targets: Tensor, options: LossOptions = {}): LossResult {
  const operation = 'softmaxCrossEntropy';
  const reduction = readReduction(operation, options);
  if (predictions.shape.length < 1) throw new AnnetError('SHAPE_MISMATCH', operation, `expected logits [N,C], got ${formatShape(predictions.shape)}`);
  const logits = readPredictions(operation, predictions);
  const classes = logits.shape[logits.shape.length - 1];
  const rows = classes === 0 ? 0 : logits.size / classes;
  const gradient = gradientBuffer(operation, logits, options.out);
  logSoftmax(logits, -1, { out: gradient });
  const logProbabilities = gradient.data;
  const base = gradient.offset;
  const scale = reduction === 'mean' && rows > 0 ? 1 / rows : 1;
  let total = 0;
  if (isLabelShape(targets.shape, logits.shape)) {
    const labels = contiguousInput(targets);
    for (let row = 0; row < rows; row++) {
      const label = labels.data[labels.offset + row];
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new AnnetError('INDEX_OUT_OF_RANGE', operation, `label ${label} at row ${row} is not a class index in [0, ${classes})`);
      }
      const start = base + row * classes;
      total -= logProbabilities[start + label];
      for (let index = start; index < start + classes; index++) logProbabilities[index] = scale * Math.exp(logProbabilities[index]);
      logProbabilities[start + label] -= scale;
    }
    return { loss: total * scale, gradient };
  }
  if (!shapesEqual(targets.shape, logits.shape)) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected class labels ${formatShape(logits.shape.slice(0, -1))} or probabilities ${formatShape(logits.shape)} for logits ${formatShape(logits.shape)}, got ${formatShape(targets.shape)}`,
    );
  }
  const probabilities = contiguousInput(targets);
  const t = probabilities.data;
  for (let row = 0; row < rows; row++) {
    const start = base + row * classes;
    const targetStart = probabilities.offset + row * classes;
    let targetMass = 0;
    for (let index = 0; index < classes; index++) {
      const target = t[targetStart + index];
      if (target !== 0) total -= target * logProbabilities[start + index];
      targetMass += target;
    }
    for (let index = 0; index < classes; index++) {
      logProbabilities[start + index] = scale * (Math.exp(logProbabilities[start + index]) * targetMass - t[targetStart + index]);
    }
  }
  return { loss: total * scale, gradient };
}

/** True when `targets` is `logits` without its last axis (class labels), compared without slicing. */
function isLabelShape(targets: readonly number[], logits: readonly number[]): boolean {
  if (targets.length !== logits.length - 1) return false;
  for (let axis = 0; axis < targets.length; axis++) if (targets[axis] !== logits[axis]) return false;
  return true;
}
