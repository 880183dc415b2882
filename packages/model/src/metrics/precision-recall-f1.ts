import type { JsonObject } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import { checkClassificationInputs, classCount } from './classification.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import type { Metric } from './metric.js';

/**
 * Macro-averaged precision, recall and F1 of a confusion matrix.
 *
 * @example
 * const { precision, recall, f1 } = macroScores(matrix);
 */
export interface MacroScores {
  /** Mean over classes of `tp / (tp + fp)`. */
  readonly precision: number;
  /** Mean over classes of `tp / (tp + fn)`. */
  readonly recall: number;
  /** Mean over classes of `2 · precision · recall / (precision + recall)`. */
  readonly f1: number;
}

/**
 * Macro precision, recall and F1 from a confusion matrix (rows true, columns predicted).
 * For each class c: `tp = M[c][c]`, `fp = Σ_r M[r][c] − tp`, `fn = Σ_k M[c][k] − tp`;
 * `precision_c = tp / (tp + fp)`, `recall_c = tp / (tp + fn)`, `F1_c = 2·P·R / (P + R)`, each 0
 * when its denominator is 0 (scikit-learn's `zero_division=0`). The macro value is the plain mean
 * over the classes that occur in the targets or the predictions; classes that never occur are left
 * out, since every score of theirs is undefined. `NaN` when the matrix is empty.
 *
 * @example
 * macroScores(new ConfusionMatrix(2)); // all NaN until updated
 */
export function macroScores(matrix: ConfusionMatrix): MacroScores {
  const classes = matrix.classes;
  let precisionSum = 0;
  let recallSum = 0;
  let f1Sum = 0;
  let present = 0;
  for (let c = 0; c < classes; c++) {
    const truePositives = matrix.get(c, c);
    let actual = 0;
    let predicted = 0;
    for (let k = 0; k < classes; k++) {
      actual += matrix.get(c, k);
      predicted += matrix.get(k, c);
    }
    if (actual === 0 && predicted === 0) continue;
    present++;
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = actual === 0 ? 0 : truePositives / actual;
    precisionSum += precision;
    recallSum += recall;
    f1Sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  if (present === 0) return { precision: Number.NaN, recall: Number.NaN, f1: Number.NaN };
  return { precision: precisionSum / present, recall: recallSum / present, f1: f1Sum / present };
}

/**
 * Which macro score a {@link MacroScoreMetric} reports.
 *
 * @example
 * new MacroScoreMetric('recall' satisfies MacroScoreKind);
 */
export type MacroScoreKind = keyof MacroScores;

/**
 * A streaming macro precision, recall or F1 (see {@link macroScores}). The number of classes is
 * taken from the first batch of predictions.
 *
 * @example
 * const f1 = new MacroScoreMetric('f1');
 * f1.update(predictions, targets);
 * f1.result();
 */
export class MacroScoreMetric implements Metric {
  readonly name: string;
  /** Which score {@link MacroScoreMetric.result} returns. */
  readonly kind: MacroScoreKind;
  private matrix: ConfusionMatrix | null = null;

  constructor(kind: MacroScoreKind, options: { name?: string } = {}) {
    this.kind = kind;
    this.name = options.name ?? kind;
  }

  update(predictions: Tensor, targets: Tensor): void {
    checkClassificationInputs(predictions, targets, this.name);
    this.matrix ??= new ConfusionMatrix(classCount(predictions));
    this.matrix.update(predictions, targets);
  }

  result(): number {
    return this.matrix === null ? Number.NaN : macroScores(this.matrix)[this.kind];
  }

  reset(): void {
    this.matrix?.reset();
  }

  state(): JsonObject {
    return this.matrix === null ? {} : this.matrix.state();
  }

  setState(state: JsonObject): void {
    if (typeof state.classes !== 'number') {
      this.matrix = null;
      return;
    }
    this.matrix = new ConfusionMatrix(state.classes);
    this.matrix.setState(state);
  }
}

/**
 * Macro precision, `mean_c tp_c / (tp_c + fp_c)`, in one call.
 *
 * @example
 * precision(predictions, targets);
 */
export function precision(predictions: Tensor, targets: Tensor): number {
  return scoreOnce('precision', predictions, targets);
}

/**
 * Macro recall, `mean_c tp_c / (tp_c + fn_c)`, in one call.
 *
 * @example
 * recall(predictions, targets);
 */
export function recall(predictions: Tensor, targets: Tensor): number {
  return scoreOnce('recall', predictions, targets);
}

/**
 * Macro F1, `mean_c 2·P_c·R_c / (P_c + R_c)`, in one call.
 *
 * @example
 * f1Score(predictions, targets);
 */
export function f1Score(predictions: Tensor, targets: Tensor): number {
  return scoreOnce('f1', predictions, targets);
}

function scoreOnce(kind: MacroScoreKind, predictions: Tensor, targets: Tensor): number {
  const metric = new MacroScoreMetric(kind);
  metric.update(predictions, targets);
  return metric.result();
}
