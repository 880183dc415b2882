import { AnnetError, formatShape, type Tensor } from '@annet/tensor';

/**
 * The error for an input of the wrong shape, e.g.
 * `Dense "dense_1": expected input [*,784], got [32,28,28]`.
 *
 * @example
 * throw inputShapeError('Dense "dense_1"', '[*,784]', input.shape);
 */
export function inputShapeError(operation: string, expected: string, got: readonly number[]): AnnetError {
  return new AnnetError('SHAPE_MISMATCH', operation, `expected input ${expected}, got ${formatShape(got)}`);
}

/**
 * Throws unless `input` holds float32 or float64 values.
 *
 * @example
 * requireFloatInput('ReLU "relu"', input);
 */
export function requireFloatInput(operation: string, input: Tensor): void {
  if (input.dtype !== 'float32' && input.dtype !== 'float64') {
    throw new AnnetError('DTYPE_MISMATCH', operation, `expected a float32 or float64 input, got ${input.dtype}`);
  }
}

/**
 * Throws unless `input` has the dtype of the layer's parameters.
 *
 * @example
 * requireDType('Dense "dense"', input, 'float32');
 */
export function requireDType(operation: string, input: Tensor, dtype: string, what = 'input'): void {
  if (input.dtype !== dtype) {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `expected a ${dtype} ${what}, got ${input.dtype}; build the layer with { dtype: '${input.dtype}' } or convert the ${what}`,
    );
  }
}
