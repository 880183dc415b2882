import { formatTable } from '@annet/model';
import type { EpochRecord } from './run-report.js';

/**
 * The per-epoch summary printed at the end of a run.
 *
 * @example
 * console.log(formatEpochTable(report.epochs, 'validation'));
 */
export function formatEpochTable(epochs: readonly EpochRecord[], validationLabel: string): string {
  const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : String(value));
  const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(4) : String(value));
  return formatTable(
    [
      'epoch',
      'loss',
      'accuracy',
      `${validationLabel} loss`,
      `${validationLabel} accuracy`,
      'learning rate',
      'seconds',
      'samples/s',
    ],
    epochs.map((record) => [
      String(record.epoch),
      fixed(record.loss),
      percent(record.accuracy),
      fixed(record.validationLoss),
      percent(record.validationAccuracy),
      formatLearningRate(record.learningRate),
      record.seconds.toFixed(1),
      String(record.samplesPerSecond),
    ]),
    { align: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
}

/**
 * `0.002`, `0.000591`, `1.00e-5`: three significant digits, exponent form below 1e-4.
 *
 * @example
 * [formatLearningRate(0.002), formatLearningRate(0.0000448)]; // ['0.002', '4.48e-5']
 */
export function formatLearningRate(rate: number): string {
  if (!Number.isFinite(rate)) return String(rate);
  return rate !== 0 && Math.abs(rate) < 1e-4 ? rate.toExponential(2) : String(Number(rate.toPrecision(3)));
}
