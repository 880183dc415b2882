import { AnnetError } from '../errors.js';

/**
 * Checks `rows` and `hiddenSize` of a recurrent cell op, then that each block of `rows` rows (or
 * the block's own row count) of `width`·hiddenSize floats from its offset fits its array; throws
 * an AnnetError naming `operation` and the array otherwise.
 *
 * @example
 * checkCellBlocks('lstmCellForwardResident', 32, 64, [['gates', gates, 0, 4]]);
 */
export function checkCellBlocks(
  operation: string,
  rows: number,
  hiddenSize: number,
  blocks: readonly (readonly [name: string, array: Float32Array, offset: number, width: number, rows?: number])[],
): void {
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(hiddenSize) || rows < 0 || hiddenSize < 1)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `got rows ${rows} and hiddenSize ${hiddenSize}; expected integers, rows ≥ 0 and hiddenSize ≥ 1`,
    );
  for (const [name, array, offset, width, count = rows] of blocks) {
    const size = width * hiddenSize;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + count * size > array.length)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `${name}: ${count} rows of ${size} floats from offset ${offset} do not fit an array of ${array.length} elements; expected a non-negative integer offset with offset + ${count}·${size} ≤ length`,
      );
  }
}
