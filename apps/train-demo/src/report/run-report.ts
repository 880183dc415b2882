import type { EpochLogs } from '@annet/model';
import type { Settings } from '../settings.js';

/**
 * Everything a run writes to `metrics.json`.
 *
 * @example
 * fs.writeFileSync('metrics.json', metricsJson(report satisfies RunReport));
 */
export interface RunReport {
  readonly tool: 'annet-train';
  readonly settings: Settings;
  readonly data: {
    readonly source: string;
    readonly train: number;
    readonly validation: number;
    readonly test: number | null;
    readonly validationIsTest: boolean;
  };
  readonly model: { readonly name: string; readonly parameters: number; readonly architecture: unknown };
  readonly epochs: readonly EpochRecord[];
  readonly test?: { readonly loss: number; readonly accuracy: number };
  readonly validation: {
    readonly loss: number;
    readonly accuracy: number;
    readonly precision: number;
    readonly recall: number;
    readonly f1: number;
    readonly confusionMatrix: number[][];
  };
  readonly totalSeconds: number;
  readonly stopReason: string | null;
  readonly resumedFrom: string | null;
}

/**
 * One epoch as `metrics.json` lists it.
 *
 * @example
 * const record: EpochRecord = epochRecord(0, history.epochs[0]); // record.epoch === 1
 */
export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly learningRate: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/**
 * An epoch's logs as a record (epoch numbers one-based).
 *
 * @example
 * history.epochs.map((logs, index) => epochRecord(index, logs));
 */
export function epochRecord(index: number, logs: EpochLogs): EpochRecord {
  return {
    epoch: index + 1,
    loss: logs.loss,
    accuracy: logs.accuracy,
    validationLoss: logs.validationLoss,
    validationAccuracy: logs.validationAccuracy,
    learningRate: logs.learningRate,
    seconds: round(logs.seconds, 3),
    samplesPerSecond: Math.round(logs.samplesPerSecond),
  };
}

/**
 * `metrics.json`'s text: the report with non-finite numbers as strings (`"NaN"`), which JSON lacks.
 *
 * @example
 * metricsJson(report); // pretty JSON, NaN written as "NaN"
 */
export function metricsJson(report: object): string {
  return `${JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2)}\n`;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
