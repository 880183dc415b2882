import type { FloatData } from '../buffers.js';
import type { WindowGeometry } from './geometry.js';

/**
 * Whether a pooling geometry is the common 2x2 window with stride 2 whose windows all lie fully
 * inside a `height × width` input (no padding, none clipped), the case {@link maxPool2x2} serves.
 *
 * @example
 * isFull2x2(windowGeometry('pool', 28, 28, [2, 2], [2, 2], [1, 1], 'valid'), 28, 28); // true
 */
export function isFull2x2(geometry: WindowGeometry, height: number, width: number): boolean {
  return (
    geometry.kernelHeight === 2 &&
    geometry.kernelWidth === 2 &&
    geometry.strideHeight === 2 &&
    geometry.strideWidth === 2 &&
    geometry.padTop === 0 &&
    geometry.padLeft === 0 &&
    2 * geometry.outputHeight <= height &&
    2 * geometry.outputWidth <= width
  );
}

/**
 * Max pooling over full 2x2 windows with stride 2: output[o] = max of the window and
 * winners[o] = the window position that holds it (relative to `inputOffset`). Same result as the
 * general loop, which scans the window in row-major order with a strict `>` from −∞: the first
 * maximum wins a tie, NaN never wins, and a window of NaNs gives −∞ at its first position.
 *
 * Branch-free where it matters: with random data, "is this tap larger?" branches are mispredicted
 * about half the time, which made the straightforward loop twice as slow. Here the comparisons
 * become 0/1 numbers that pick positions (a tournament: the better of each row, then the better
 * row, ties to the earlier position, which is the row-major first maximum), and the winning value
 * is read back. Only the NaN tests branch, and NaN is rare, so they are predicted.
 *
 * @example
 * maxPool2x2(x.data, x.offset, y.data, winners, 8 * 16, 28, 28, 14, 14);
 */
export function maxPool2x2(
  input: FloatData,
  inputOffset: number,
  output: FloatData,
  winners: Int32Array,
  planes: number,
  height: number,
  width: number,
  outputHeight: number,
  outputWidth: number,
): void {
  let out = 0;
  for (let plane = 0; plane < planes; plane++) {
    const planeStart = plane * height * width;
    for (let row = 0; row < outputHeight; row++) {
      let top = planeStart + 2 * row * width;
      for (let column = 0; column < outputWidth; column++, top += 2, out++) {
        const bottom = top + width;
        const upper = top + +(key(input[inputOffset + top + 1]) > key(input[inputOffset + top]));
        const lower = bottom + +(key(input[inputOffset + bottom + 1]) > key(input[inputOffset + bottom]));
        const winner = upper + +(key(input[inputOffset + lower]) > key(input[inputOffset + upper])) * (lower - upper);
        output[out] = key(input[inputOffset + winner]);
        winners[out] = winner;
      }
    }
  }
}

/** The value compared for a maximum: itself, or −∞ for NaN (which never wins). */
function key(value: number): number {
  return value === value ? value : -Infinity;
}
