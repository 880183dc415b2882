/**
 * A mistake in how the app was called (a bad flag or value): exit code 2, with a hint to `--help`.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Something that went wrong while running (missing data, an incompatible checkpoint, an
 * unwritable folder): exit code 1.
 */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
}
