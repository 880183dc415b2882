/**
 * The machine-readable kinds of `AnnetError`. Every annet package throws `AnnetError` (defined in
 * `@annet/tensor`; `@annet/optimizers` carries a branded twin so it needs no tensor dependency).
 */
export type AnnetErrorCode =
  | 'SHAPE_MISMATCH'
  | 'INVALID_AXIS'
  | 'DTYPE_MISMATCH'
  | 'INDEX_OUT_OF_RANGE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_STATE'
  | 'PARSE_ERROR'
  | 'IO_ERROR'
  | 'CHECKSUM_MISMATCH'
  | 'UNSUPPORTED'
  | 'NOT_FOUND';

/** The fields every annet error has, whichever package threw it. */
export interface AnnetErrorLike extends Error {
  /** Always `'AnnetError'`. */
  readonly name: 'AnnetError';
  /** What kind of problem it is. */
  readonly code: AnnetErrorCode;
  /** The operation that failed, such as `matmul` or `Dense "dense_1"`; the message starts with it. */
  readonly operation: string;
}
