/**
 * What one progress line shows.
 *
 * @example
 * formatProgressLine({ epoch: 1, epochs: 5, done: 800, total: 8000, elapsedSeconds: 0.2, samplesPerSecond: 4000, logs: { loss: 0.9 }, barWidth: 20, finished: false });
 */
export interface ProgressLine {
  /** One-based epoch number and the planned number of epochs. */
  readonly epoch: number;
  readonly epochs: number;
  /** Samples done this epoch, and the epoch's total. */
  readonly done: number;
  readonly total: number;
  /** Seconds since the epoch started (or resumed). */
  readonly elapsedSeconds: number;
  /** Samples processed per second this epoch. */
  readonly samplesPerSecond: number;
  /** The figures to show, in order (`loss`, `accuracy`, …). */
  readonly logs: Readonly<Record<string, number>>;
  /** Width of the bar in characters; 0 for no bar. */
  readonly barWidth: number;
  /** `true` once the epoch is over: shows the time taken instead of the ETA. */
  readonly finished: boolean;
}

/**
 * Formats one progress line, Keras style:
 * `Epoch 3/10  4800/8000 [=========>.......]  loss 0.2134  accuracy 0.9312  5321 samples/s  ETA 0:01`.
 * ETA is `(total − done) / samplesPerSecond`.
 *
 * @example
 * formatProgressLine({ epoch: 1, epochs: 2, done: 50, total: 100, elapsedSeconds: 1, samplesPerSecond: 50, logs: { loss: 0.5 }, barWidth: 10, finished: false });
 * // 'Epoch 1/2   50/100 [=====>....]  loss 0.5000  50 samples/s  ETA 1.0s'
 */
export function formatProgressLine(line: ProgressLine): string {
  // A stream's first epoch has no known total (NaN): show `done/?` without a bar or an ETA.
  const known = Number.isFinite(line.total);
  const digits = known ? String(line.total).length : 0;
  const parts = [
    `Epoch ${line.epoch}/${line.epochs}`,
    `${String(line.done).padStart(digits)}/${known ? line.total : '?'}${line.barWidth > 0 && known ? ` ${bar(line.done, line.total, line.barWidth)}` : ''}`,
  ];
  for (const [key, value] of Object.entries(line.logs))
    parts.push(key === 'learningRate' ? `lr ${Number(value.toPrecision(3))}` : `${key} ${formatLogValue(value)}`);
  parts.push(`${Math.round(line.samplesPerSecond)} samples/s`);
  if (line.finished) parts.push(formatDuration(line.elapsedSeconds));
  else
    parts.push(
      `ETA ${line.samplesPerSecond > 0 && known ? formatDuration((line.total - line.done) / line.samplesPerSecond) : '?'}`,
    );
  return parts.join('  ');
}

/** `[=====>....]`: `=` for done, `>` at the head, `.` for what is left. */
function bar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : width;
  if (filled >= width) return `[${'='.repeat(width)}]`;
  return `[${'='.repeat(filled)}>${'.'.repeat(width - filled - 1)}]`;
}

/**
 * A logged figure with four decimals, or `NaN`/`Infinity` as they are.
 *
 * @example
 * formatLogValue(0.123456); // '0.1235'
 */
export function formatLogValue(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

/**
 * `m:ss` under an hour, `h:mm:ss` above; sub-10-second durations as `4.2s`.
 *
 * @example
 * formatDuration(75); // '1:15'
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
