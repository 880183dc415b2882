/**
 * A mistake in how the app was called (a bad flag or value): exit code 2, with a hint to `--help`.
 *
 * @example
 * throw new UsageError('--epochs must be an integer from 1 to 100000; got "x"');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Something that went wrong while running (missing data, an incompatible checkpoint, an
 * unwritable folder): exit code 1.
 *
 * @example
 * throw new RuntimeError('--data /data/mnist: no such folder');
 */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
}
