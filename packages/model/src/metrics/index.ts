export { accuracy, Accuracy } from './accuracy.js';
export { ConfusionMatrix, confusionMatrix } from './confusion-matrix.js';
export { RunningMean } from './mean.js';
export type { Metric } from './metric.js';
export {
  f1Score,
  MacroScoreMetric,
  macroScores,
  precision,
  recall,
  type MacroScoreKind,
  type MacroScores,
} from './precision-recall-f1.js';
export { metricFromName, metricNames, type MetricName } from './registry.js';
export { MeanErrorMetric, meanAbsoluteError, meanSquaredError } from './regression.js';
export { TopKAccuracy, topKAccuracy } from './top-k-accuracy.js';
export { TokenAccuracy, tokenAccuracy, type TokenAccuracyOptions } from './token-accuracy.js';
