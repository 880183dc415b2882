import { AnnetError, formatShape, Tensor } from '@annet/tensor';
import type { SymbolicTensor } from './symbolic-tensor.js';

/**
 * Tensors keyed by input or output name: `{ image, extra }`.
 *
 * @example
 * const inputs: NamedTensors = { image: images, extra: ages };
 */
export type NamedTensors = Readonly<Record<string, Tensor>>;

/**
 * What a graph model's `forward`, `predict` and data accept for its inputs: one tensor (a model
 * of one input), an array in input order, or an object keyed by input name.
 *
 * @example
 * model.predict({ image: images, extra: ages });
 */
export type ModelInputs = Tensor | readonly Tensor[] | NamedTensors;

/**
 * Puts `given` into `target` in the order of `names` and checks each against its symbolic input
 * (rank, sample shape, dtype) and that all share one batch size.
 *
 * @example
 * orderInputs({ image, extra }, ['image', 'extra'], symbolic, [], 'Model "m".forward');
 */
export function orderInputs(
  given: ModelInputs,
  names: readonly string[],
  symbolic: readonly SymbolicTensor[],
  target: Tensor[],
  operation: string,
): Tensor[] {
  if (given instanceof Tensor) {
    if (names.length !== 1)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `the model has ${names.length} inputs (${names.join(', ')}); pass an object { ${names.join(', ')} } or an array`,
      );
    target[0] = given;
  } else if (Array.isArray(given)) {
    if (given.length !== names.length)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `expected ${names.length} input tensors (${names.join(', ')}), got ${given.length}`,
      );
    for (let index = 0; index < names.length; index++) target[index] = given[index];
  } else if (typeof given === 'object' && given !== null) {
    const record = given as NamedTensors;
    for (let index = 0; index < names.length; index++) {
      const value = record[names[index]];
      if (value === undefined)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `input ${JSON.stringify(names[index])} is missing; expected { ${names.join(', ')} }, got { ${Object.keys(record).join(', ')} }`,
        );
      target[index] = value;
    }
  } else {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a tensor, an array of tensors or { ${names.join(', ')} }, got ${given === null ? 'null' : typeof given}`,
    );
  }
  let batch = -1;
  for (let index = 0; index < names.length; index++) {
    const value = target[index];
    const expected = symbolic[index];
    if (!(value instanceof Tensor))
      throw new AnnetError('INVALID_ARGUMENT', operation, `input ${JSON.stringify(names[index])} is not a tensor`);
    const fits =
      value.rank === expected.shape.length &&
      expected.shape.every((dimension, axis) => axis === 0 || dimension === value.shape[axis]);
    if (!fits)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `input ${JSON.stringify(names[index])} has shape ${formatShape(value.shape)}, expected [batch,${expected.shape.slice(1).join(',')}]`,
      );
    if (value.dtype !== expected.dtype)
      throw new AnnetError(
        'DTYPE_MISMATCH',
        operation,
        `input ${JSON.stringify(names[index])} is ${value.dtype}, expected ${expected.dtype}`,
      );
    if (batch >= 0 && value.shape[0] !== batch)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `input ${JSON.stringify(names[index])} has ${value.shape[0]} rows but input ${JSON.stringify(names[0])} has ${batch}; every input needs one row per sample`,
      );
    batch = value.shape[0];
  }
  return target;
}
