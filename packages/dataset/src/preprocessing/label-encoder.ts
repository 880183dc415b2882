import { AnnetError, Tensor } from '@annet/tensor';

/**
 * A fitted {@link LabelEncoder} as JSON.
 *
 * @example
 * const state: LabelEncoderState = { kind: 'LabelEncoder', classes: ['cat', 'dog'] };
 */
export interface LabelEncoderState {
  /** Always `'LabelEncoder'`. */
  readonly kind: 'LabelEncoder';
  /** The class names; class `k` is `classes[k]`. */
  readonly classes: string[];
}

/**
 * Maps string class names to integer class indices and back. `fit` takes the distinct names in
 * sorted order (as scikit-learn), so the codes do not depend on the order of the data; pass
 * `classes` to fix them yourself.
 *
 * @example
 * const encoder = new LabelEncoder().fit(['cat', 'dog', 'cat', 'bird']);
 * encoder.classes;                       // ['bird', 'cat', 'dog']
 * encoder.transform(['dog', 'bird']);    // int32 tensor [2, 0]
 */
export class LabelEncoder {
  private names: string[] = [];
  private codes = new Map<string, number>();

  constructor(classes?: readonly string[]) {
    if (classes) this.setClasses(classes, 'LabelEncoder');
  }

  /** The class names in code order. */
  get classes(): readonly string[] {
    return this.names;
  }

  /** Number of classes. */
  get numClasses(): number {
    return this.names.length;
  }

  /** Learns the classes: the distinct values, sorted. */
  fit(values: Iterable<string>): this {
    const distinct = [...new Set(values)];
    for (const value of distinct) {
      if (typeof value !== 'string')
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'LabelEncoder.fit',
          `expected string class names, got ${JSON.stringify(value)}`,
        );
    }
    this.setClasses(distinct.sort(), 'LabelEncoder.fit');
    return this;
  }

  /** The code of one class name, or an error naming it and the known classes. */
  encode(value: string, position?: number): number {
    const code = this.codes.get(value);
    if (code === undefined) {
      const known =
        this.names.length > 10
          ? `${JSON.stringify(this.names.slice(0, 10)).slice(0, -1)}, ...]`
          : JSON.stringify(this.names);
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'LabelEncoder.transform',
        `${JSON.stringify(value)}${position === undefined ? '' : ` at position ${position}`} is not a known class; known classes: ${known}`,
      );
    }
    return code;
  }

  /** The codes of `values` as an int32 tensor `[n]`. */
  transform(values: readonly string[]): Tensor<'int32'> {
    this.checkFitted('transform');
    const codes = new Int32Array(values.length);
    for (let position = 0; position < values.length; position++)
      codes[position] = this.encode(values[position], position);
    return new Tensor(codes, [values.length]);
  }

  /** The class names of `codes`. */
  inverseTransform(codes: Tensor | ArrayLike<number>): string[] {
    this.checkFitted('inverseTransform');
    const values = codes instanceof Tensor ? codes.toTypedArray() : codes;
    return Array.from({ length: values.length }, (_, position) => {
      const code = values[position];
      if (!Number.isInteger(code) || code < 0 || code >= this.names.length) {
        throw new AnnetError(
          'INDEX_OUT_OF_RANGE',
          'LabelEncoder.inverseTransform',
          `code ${code} at position ${position} is outside the class range [0, ${this.names.length})`,
        );
      }
      return this.names[code];
    });
  }

  /** The classes as JSON. */
  toJSON(): LabelEncoderState {
    this.checkFitted('toJSON');
    return { kind: 'LabelEncoder', classes: this.names.slice() };
  }

  /** An encoder with the classes of a {@link LabelEncoderState}. */
  static fromJSON(state: LabelEncoderState): LabelEncoder {
    if (state?.kind !== 'LabelEncoder')
      throw new AnnetError(
        'INVALID_STATE',
        'LabelEncoder.fromJSON',
        `kind is ${JSON.stringify(state?.kind)}, expected "LabelEncoder"`,
      );
    return new LabelEncoder(state.classes);
  }

  private setClasses(classes: readonly string[], operation: string): void {
    if (
      !Array.isArray(classes) ||
      classes.some((name) => typeof name !== 'string') ||
      new Set(classes).size !== classes.length
    ) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `classes must be distinct strings, got ${JSON.stringify(classes)?.slice(0, 80)}`,
      );
    }
    this.names = classes.slice();
    this.codes = new Map(this.names.map((name, code) => [name, code]));
  }

  private checkFitted(operation: string): void {
    if (this.names.length === 0)
      throw new AnnetError(
        'INVALID_STATE',
        `LabelEncoder.${operation}`,
        'the encoder has no classes; call fit(values) or pass classes first',
      );
  }
}
