import type { DType } from '../dtype.js';
import { AnnetError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { scalarDType } from './dtype-rules.js';
import { newTensor } from './new-tensor.js';

/** A tensor, or a plain number standing for a scalar tensor. */
export type TensorOrNumber = Tensor | number;

/**
 * Turns the two operands of a binary op into tensors: numbers become 0-d tensors whose dtype
 * follows {@link scalarDType}. Anything else is an INVALID_ARGUMENT error naming `operation`.
 *
 * @example
 * const [x, y] = toTensorPair(labels, 0.5, 'mul'); // y: a float32 scalar
 */
export function toTensorPair(a: TensorOrNumber, b: TensorOrNumber, operation: string): [Tensor, Tensor] {
  const partnerOfA = b instanceof Tensor ? b.dtype : null;
  const partnerOfB = a instanceof Tensor ? a.dtype : null;
  return [toTensor(a, partnerOfA, operation, 'a'), toTensor(b, partnerOfB, operation, 'b')];
}

/**
 * One operand as a tensor (see {@link toTensorPair}).
 *
 * @example
 * toTensor(1, 'float64', 'where', 'a'); // a float64 scalar tensor
 */
export function toTensor(value: TensorOrNumber, partner: DType | null, operation: string, role: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') {
    const scalar = newTensor(scalarDType(value, partner), []);
    scalar.data[0] = value;
    return scalar;
  }
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `${role} must be a Tensor or a number, got ${got}; wrap arrays with tensor(...)`,
  );
}
