import { AnnetError } from '@annet/tensor';
import { Accuracy } from './accuracy.js';
import type { Metric } from './metric.js';
import { MacroScoreMetric } from './precision-recall-f1.js';
import { MeanErrorMetric } from './regression.js';
import { TokenAccuracy } from './token-accuracy.js';
import { TopKAccuracy } from './top-k-accuracy.js';

/**
 * The names {@link metricFromName} accepts, and what each builds.
 *
 * @example
 * Object.keys(metricNames); // ['accuracy', 'topKAccuracy', 'precision', ...]
 */
export const metricNames = {
  accuracy: () => new Accuracy(),
  topKAccuracy: () => new TopKAccuracy(),
  tokenAccuracy: () => new TokenAccuracy(),
  precision: () => new MacroScoreMetric('precision'),
  recall: () => new MacroScoreMetric('recall'),
  f1: () => new MacroScoreMetric('f1'),
  meanSquaredError: () => new MeanErrorMetric('squared'),
  meanAbsoluteError: () => new MeanErrorMetric('absolute'),
  mse: () => new MeanErrorMetric('squared', { name: 'mse' }),
  mae: () => new MeanErrorMetric('absolute', { name: 'mae' }),
} as const satisfies Record<string, () => Metric>;

/**
 * A metric given by name, such as `'accuracy'`, or `top3Accuracy` for any k.
 *
 * @example
 * const name: MetricName = 'top3Accuracy';
 */
export type MetricName = keyof typeof metricNames | `top${number}Accuracy`;

/**
 * A fresh metric for a name: `accuracy`, `tokenAccuracy` (no ignored label; build
 * `new TokenAccuracy({ ignoreIndex })` for padding), `topKAccuracy` (k = 5), `top<k>Accuracy`, `precision`,
 * `recall`, `f1` (all three macro), `meanSquaredError`/`mse`, `meanAbsoluteError`/`mae`.
 *
 * @example
 * metricFromName('top3Accuracy').name; // 'top3Accuracy'
 */
export function metricFromName(name: string): Metric {
  if (Object.hasOwn(metricNames, name)) return metricNames[name as keyof typeof metricNames]();
  const topK = /^top([1-9][0-9]*)Accuracy$/.exec(name);
  if (topK) return new TopKAccuracy({ k: Number(topK[1]) });
  throw new AnnetError(
    'NOT_FOUND',
    'metricFromName',
    `unknown metric ${JSON.stringify(name)}; expected one of ${Object.keys(metricNames).join(', ')} or top<k>Accuracy`,
  );
}
