import { AnnetError } from '@annet/tensor';
import type { EpochLogs } from './callback.js';

/**
 * Whether a lower (`min`) or higher (`max`) monitored value is better; `auto` guesses from its name.
 *
 * @example
 * new EarlyStopping({ monitor: 'validationF1', mode: 'max' satisfies MonitorMode });
 */
export type MonitorMode = 'min' | 'max' | 'auto';

/**
 * Resolves `auto`: names containing `accuracy`, `precision`, `recall` or `f1` are maximized,
 * everything else (losses, errors) is minimized, as Keras does.
 *
 * @example
 * resolveMode('validationAccuracy', 'auto'); // 'max'
 */
export function resolveMode(monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto')
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'monitor',
      `mode must be 'min', 'max' or 'auto', got ${JSON.stringify(mode)}`,
    );
  return /accuracy|precision|recall|f1/i.test(monitor) ? 'max' : 'min';
}

/**
 * `true` when `value` beats `best` by more than `minDelta`: `value < best − minDelta` when
 * minimizing, `value > best + minDelta` when maximizing. Anything beats `null`; NaN beats nothing.
 *
 * @example
 * isImprovement(0.30, 0.31, 'min', 0.005); // true: 0.30 < 0.31 − 0.005
 */
export function isImprovement(value: number, best: number | null, mode: 'min' | 'max', minDelta: number): boolean {
  if (Number.isNaN(value)) return false;
  if (best === null) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

/**
 * The monitored value out of an epoch's logs, or an error listing the keys there are.
 *
 * @example
 * readMonitored({ loss: 0.4 }, 'loss', 'EarlyStopping'); // 0.4
 */
export function readMonitored(logs: EpochLogs, monitor: string, operation: string): number {
  const value = logs[monitor];
  if (value === undefined) {
    throw new AnnetError(
      'NOT_FOUND',
      operation,
      `the logs have no ${JSON.stringify(monitor)}; available: ${Object.keys(logs).join(', ')}. Monitor one of those (validation figures need validationData or validationSplit)`,
    );
  }
  return value;
}
