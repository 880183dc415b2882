import type { JsonObject } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import type { Metric } from '../metrics/metric.js';
import { metricFromName } from '../metrics/registry.js';

/**
 * A metric given by name (`'accuracy'`, `'top3Accuracy'`, `'f1'`…) or as an object.
 *
 * @example
 * const metrics: MetricSpec[] = ['accuracy', 'top3Accuracy', new TopKAccuracy({ k: 2 })];
 */
export type MetricSpec = string | Metric;

/**
 * The metrics of one `fit` or `evaluate`: built once from names or objects, updated batch by
 * batch without allocating, read into logs, saved and restored as JSON keyed by metric name.
 *
 * @example
 * const metrics = new MetricSet(['accuracy', 'f1']);
 * metrics.update(predictions, targets);
 * metrics.writeResults(logs, 'validation'); // logs.validationAccuracy, logs.validationF1
 */
export class MetricSet {
  readonly metrics: readonly Metric[];

  constructor(specs: readonly MetricSpec[] = [], operation = 'fit') {
    this.metrics = specs.map((spec) => (typeof spec === 'string' ? metricFromName(spec) : spec));
    const names = new Set<string>(['loss']);
    for (const metric of this.metrics) {
      if (names.has(metric.name))
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `two metrics are named ${JSON.stringify(metric.name)} (or one is named "loss"); metric names key the logs and must be unique`,
        );
      names.add(metric.name);
    }
  }

  update(predictions: Tensor, targets: Tensor): void {
    for (const metric of this.metrics) metric.update(predictions, targets);
  }

  reset(): void {
    for (const metric of this.metrics) metric.reset();
  }

  /** Writes each metric's result into `logs` under `prefix + name` (`validationAccuracy` for prefix `validation`). */
  writeResults(logs: Record<string, number>, prefix = ''): void {
    for (const metric of this.metrics) logs[prefixed(prefix, metric.name)] = metric.result();
  }

  getState(): JsonObject {
    const state: Record<string, JsonObject> = {};
    for (const metric of this.metrics) state[metric.name] = metric.state();
    return state;
  }

  setState(state: JsonObject): void {
    for (const metric of this.metrics) {
      const saved = state[metric.name];
      if (saved === undefined || saved === null || typeof saved !== 'object' || Array.isArray(saved)) {
        throw new AnnetError(
          'INVALID_STATE',
          'fit',
          `the checkpoint has no state for metric ${JSON.stringify(metric.name)}; resume with the metrics the checkpoint was trained with (${Object.keys(state).join(', ') || 'none'})`,
        );
      }
      metric.setState(saved as JsonObject);
    }
  }
}

/**
 * `validation` + `accuracy` → `validationAccuracy`; no prefix keeps the name.
 *
 * @example
 * prefixed('validation', 'accuracy'); // 'validationAccuracy'
 */
export function prefixed(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}${name[0].toUpperCase()}${name.slice(1)}`;
}
