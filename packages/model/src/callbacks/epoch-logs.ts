/**
 * Figures logged by `fit`: `loss`, metric names, `validationLoss`, `learningRate`, `seconds`…
 *
 * @example
 * const logs: EpochLogs = { loss: 0.31, accuracy: 0.91, validationLoss: 0.35, validationAccuracy: 0.9 };
 */
export type EpochLogs = Readonly<Record<string, number>>;

/**
 * The logs of the epochs completed so far, as callbacks read them (`context.history`); the
 * `History` that `fit` returns is one.
 *
 * @example
 * const losses = context.history.values('validationLoss');
 */
export interface EpochHistory {
  /** One entry per completed epoch, in order. */
  readonly epochs: readonly EpochLogs[];
  /** Why training stopped early, or `null`. */
  readonly stopReason: string | null;
  /** The values of one log key, one per epoch (`NaN` where an epoch lacks it). */
  values(key: string): number[];
  /** The last completed epoch's logs, or `undefined` before the first. */
  last(): EpochLogs | undefined;
}
