import { AnnetError } from '@annet/tensor';

/** Throws unless `index` is an integer in `[0, length)`. */
export function checkIndex(index: number, length: number, operation: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new AnnetError(
      'INDEX_OUT_OF_RANGE',
      operation,
      `index ${index} is outside the dataset's range [0, ${length})`,
    );
  }
}

/** Throws unless `count` is a non-negative integer. */
export function checkCount(count: number, operation: string, what = 'count'): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `${what} must be a non-negative integer, got ${count}`);
  }
}
