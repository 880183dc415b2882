/**
 * "Nice" axis ticks (1, 2 or 5 times a power of ten) covering `[low, high]` with about `count`
 * intervals, as most plotting libraries pick them.
 *
 * @example
 * niceTicks(0.03, 0.97, 5); // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [0, 1];
  if (high - low < 1e-12) {
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
    low -= pad;
    high += pad;
  }
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  const first = Math.floor(low / step + 1e-9) * step;
  const last = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let value = first; value <= last + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

/**
 * Integer ticks for an epoch axis `1 … epochs`, at most about `count` of them.
 *
 * @example
 * epochTicks(12); // [1, 2, 4, 6, 8, 10, 12]
 */
export function epochTicks(epochs: number, count = 8): number[] {
  if (epochs <= 1) return [1];
  const step = Math.max(1, niceTicks(0, epochs, count)[1]);
  const ticks = [1];
  for (let value = step; value <= epochs; value += step) if (value !== 1) ticks.push(value);
  if (ticks[ticks.length - 1] !== epochs && epochs - ticks[ticks.length - 1] > step / 2) ticks.push(epochs);
  return ticks;
}

/**
 * A tick label without float noise: `0.2`, not `0.20000000000000004`.
 *
 * @example
 * formatTick(0.1 + 0.2); // '0.3'
 */
export function formatTick(value: number): string {
  return String(Number(value.toPrecision(6)));
}
