import { AnnetError, Tensor } from '@annet/tensor';

/**
 * Reads one side of a batch (a tensor, a record of named tensors, or an array in name order) into an array in the
 * model's name order, reusing the array, so a training step allocates nothing for it.
 *
 * @example
 * const inputs = new BatchArrays(model.inputNames, 'input', 'fit');
 * model.forwardArrays(inputs.read(batch.inputs), true);
 */
export class BatchArrays {
  private readonly values: Tensor[];

  constructor(
    private readonly names: readonly string[],
    private readonly side: 'input' | 'target',
    private readonly operation: string,
  ) {
    this.values = new Array(names.length);
  }

  /** `value` as an array in name order; throws naming what is missing. */
  read(value: unknown): readonly Tensor[] {
    const { names, values } = this;
    if (value instanceof Tensor) {
      if (names.length !== 1)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          this.operation,
          `the model has ${names.length} ${this.side}s (${names.join(', ')}), but a batch's ${this.side}s are one tensor; give them as { ${names.join(', ')} }`,
        );
      values[0] = value;
      return values;
    }
    if (typeof value !== 'object' || value === null)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `a batch's ${this.side}s must be a tensor or { ${names.join(', ')} }, got ${value === null ? 'null' : typeof value}`,
      );
    const record = value as Record<string, unknown>;
    for (let index = 0; index < names.length; index++) {
      // Arrays (and the records a dataset makes of them, keyed '0', '1', ...) are in name order.
      const entry = record[names[index]] ?? record[index];
      if (!(entry instanceof Tensor)) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          this.operation,
          `a batch has no ${this.side} tensor named ${JSON.stringify(names[index])}; expected { ${names.join(', ')} }, got { ${Object.keys(record).join(', ')} }`,
        );
      }
      values[index] = entry;
    }
    return values;
  }
}
