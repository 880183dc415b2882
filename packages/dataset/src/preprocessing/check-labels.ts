import { AnnetError } from '@annet/tensor';

/**
 * Throws unless every label is an integer in `[0, numClasses)`, naming the first bad one, its
 * position and (for readers) the source it came from.
 *
 * @example
 * checkLabels(new Int32Array([0, 3, 10]), 10, 'readIdx', 'labels.idx'); // throws: item 2 ... 10 is outside [0, 10)
 */
export function checkLabels(labels: ArrayLike<number>, numClasses: number, operation: string, source?: string): void {
  if (!Number.isSafeInteger(numClasses) || numClasses < 1) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `numClasses must be a positive integer, got ${numClasses}`);
  }
  for (let position = 0; position < labels.length; position++) {
    const label = labels[position];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        operation,
        `${source ? `${source} ` : ''}item ${position}: label ${label} is outside the class range [0, ${numClasses})`,
      );
    }
  }
}
