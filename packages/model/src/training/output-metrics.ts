import type { JsonObject } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import { RunningMean } from '../metrics/mean.js';
import { MetricSet, prefixed, type MetricSpec } from './metric-set.js';

/**
 * Metrics of `fit` and `evaluate`: a list for every output (names only, when there are several
 * outputs: a metric object keeps the state of one output), or lists per output name.
 *
 * @example
 * const metrics: MetricsOption = { digit: ['accuracy'], box: ['meanAbsoluteError'] };
 */
export type MetricsOption = readonly MetricSpec[] | Readonly<Record<string, readonly MetricSpec[]>>;

/**
 * The running metrics of every output, plus each output's running loss when there are several.
 * Logs: a one-output model keeps the plain keys (`accuracy`, `validationAccuracy`); with several
 * outputs each key names its output after a dot (`loss.digit`, `accuracy.digit`,
 * `validationAccuracy.digit`), and `loss` is the weighted total.
 *
 * @example
 * const metrics = new OutputMetrics(['digit', 'box'], ['meanAbsoluteError'], 'fit');
 * metrics.update(predictions, targets, objective.outputLosses, rows);
 * metrics.writeResults(logs); // logs['meanAbsoluteError.digit'], logs['loss.box'], ...
 */
export class OutputMetrics {
  /** Per output, in output order. */
  readonly sets: readonly MetricSet[];
  private readonly means: readonly RunningMean[];
  private readonly keys: readonly string[];

  constructor(
    private readonly outputNames: readonly string[],
    specs: MetricsOption = [],
    operation = 'fit',
  ) {
    const perOutput = !Array.isArray(specs);
    if (perOutput) {
      for (const name of Object.keys(specs)) {
        if (!outputNames.includes(name))
          throw new AnnetError(
            'INVALID_ARGUMENT',
            operation,
            `metrics are given for ${JSON.stringify(name)}, which is not an output; the outputs are ${outputNames.join(', ')}`,
          );
      }
    } else if (outputNames.length > 1 && (specs as readonly MetricSpec[]).some((spec) => typeof spec !== 'string')) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `a metric object holds the state of one output, but this model has ${outputNames.length}; give metrics by name, or per output: { ${outputNames.join(': [...], ')}: [...] }`,
      );
    }
    this.sets = outputNames.map(
      (name) =>
        new MetricSet(
          perOutput
            ? ((specs as Readonly<Record<string, readonly MetricSpec[]>>)[name] ?? [])
            : (specs as readonly MetricSpec[]),
          operation,
        ),
    );
    this.means = outputNames.map(() => new RunningMean());
    this.keys = outputNames.map((name) => `loss.${name}`);
  }

  update(
    predictions: readonly Tensor[],
    targets: readonly Tensor[],
    outputLosses: readonly number[],
    rows: number,
  ): void {
    for (let index = 0; index < this.sets.length; index++) {
      this.sets[index].update(predictions[index], targets[index]);
      if (this.sets.length > 1 && index < outputLosses.length) this.means[index].add(outputLosses[index], rows);
    }
  }

  reset(): void {
    for (const set of this.sets) set.reset();
    for (const mean of this.means) mean.reset();
  }

  /** Writes every result into `logs` (each output's loss only with `losses`); see the class for the keys. */
  writeResults(logs: Record<string, number>, prefix = '', losses = true): void {
    if (this.sets.length === 1) {
      this.sets[0].writeResults(logs, prefix);
      return;
    }
    for (let index = 0; index < this.sets.length; index++) {
      if (losses) logs[prefixed(prefix, this.keys[index])] = this.means[index].result();
      for (const metric of this.sets[index].metrics)
        logs[prefixed(prefix, `${metric.name}.${this.outputNames[index]}`)] = metric.result();
    }
  }

  /** A one-output model's state is its metric set's (the format Sequential checkpoints always had); several outputs nest it by output name. */
  getState(): JsonObject {
    if (this.sets.length === 1) return this.sets[0].getState();
    const state: Record<string, JsonObject> = {};
    this.outputNames.forEach(
      (name, index) => (state[name] = { loss: this.means[index].state(), metrics: this.sets[index].getState() }),
    );
    return state;
  }

  setState(state: JsonObject): void {
    if (this.sets.length === 1) {
      this.sets[0].setState(state);
      return;
    }
    this.outputNames.forEach((name, index) => {
      const saved = state[name] as { loss?: JsonObject; metrics?: JsonObject } | undefined;
      if (
        typeof saved !== 'object' ||
        saved === null ||
        typeof saved.loss !== 'object' ||
        typeof saved.metrics !== 'object'
      ) {
        throw new AnnetError(
          'INVALID_STATE',
          'fit',
          `the checkpoint has no metric state for output ${JSON.stringify(name)}; resume with the outputs and metrics it was trained with`,
        );
      }
      this.sets[index].setState(saved.metrics!);
      this.means[index].setState(saved.loss!);
    });
  }
}
