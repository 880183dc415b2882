import { DataLoader, type Batch, type MapDataset, type Sample } from '@annet/dataset';
import { softmaxCrossEntropy } from '@annet/layers';
import { accuracy, ConfusionMatrix, macroScores } from '@annet/model';
import type { DemoModel } from './models.js';

/**
 * A model's figures on one dataset.
 *
 * @example
 * const { accuracy, confusionMatrix } = evaluateDataset(model, validation);
 */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows true digit, columns predicted digit. */
  readonly confusionMatrix: number[][];
}

/**
 * Predicts every sample of `dataset` (inference mode, in batches of 500) and measures loss,
 * accuracy, macro precision/recall/F1 and the confusion matrix.
 *
 * @example
 * const { accuracy } = evaluateDataset(model, validation);
 */
export function evaluateDataset(model: DemoModel, dataset: MapDataset<Sample>): Evaluation {
  const { inputs, targets } = wholeDataset(dataset);
  const predictions = model.predict(inputs, { batchSize: 500 });
  const matrix = new ConfusionMatrix(predictions.shape[1]);
  matrix.update(predictions, targets);
  const scores = macroScores(matrix);
  return {
    loss: softmaxCrossEntropy(predictions, targets).loss,
    accuracy: accuracy(predictions, targets),
    precision: scores.precision,
    recall: scores.recall,
    f1: scores.f1,
    confusionMatrix: matrix.toArray(),
  };
}

/** All samples of a dataset stacked into one batch. */
function wholeDataset(dataset: MapDataset<Sample>): Batch {
  const loader = new DataLoader(dataset, { batchSize: Math.max(1, dataset.length), prefetch: 0 });
  for (const batch of loader) return batch;
  throw new Error('the dataset is empty');
}
