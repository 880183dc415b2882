import type { BackwardOptions, JsonValue, LayerConfig, MultiInputLayer } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { Workspace } from '../workspace.js';

/**
 * `[*,64]`: a shape as merge-layer messages print it, `*` for an unknown (batch) dimension.
 *
 * @example
 * describeSymbolicShape([-1, 64]); // '[*,64]'
 */
export function describeSymbolicShape(shape: readonly number[]): string {
  return `[${shape.map((dimension) => (dimension < 0 ? '*' : String(dimension))).join(',')}]`;
}

/**
 * The base of parameter-free layers of several inputs (`Add`, `Concatenate`…): naming as in
 * `BaseLayer` (`add`, made unique by a model as `add_1`), an empty parameter list, config, and the
 * checks every merge does at its boundary (enough inputs, one float dtype, forward before backward).
 * Subclasses put forward and backward side by side. Outputs and gradients are buffers reused by
 * the next call, as for every annet layer.
 *
 * @example
 * abstract class Sum3 extends MergeLayer {} // a concrete subclass implements forward(inputs), backward(gradient), outputShape(shapes)
 */
export abstract class MergeLayer implements MultiInputLayer<Tensor> {
  readonly multiInput = true as const;
  /** The registry key of the class, such as `Add`. */
  readonly className: string;
  /** The name used when none is given, such as `add`. */
  readonly defaultName: string;
  /** Inputs the layer takes at least (and at most, see {@link MergeLayer.maximumInputs}). */
  readonly minimumInputs: number;
  /** Inputs the layer takes at most; `Infinity` for any number. */
  readonly maximumInputs: number;
  /** `true` when the name came from the `name` option or a `rename`, `false` when derived. */
  hasExplicitName: boolean;
  /** The inputs of the last forward pass, which backward needs (the caller's tensors, not copies). */
  protected lastInputs: readonly Tensor[] | undefined;
  /** The layer's outputs and gradients, reused from step to step (see {@link Workspace}). */
  protected readonly workspace = new Workspace();
  private layerName: string;

  protected constructor(
    className: string,
    defaultName: string,
    options: LayerOptions,
    inputs: { minimum: number; maximum: number } = { minimum: 2, maximum: Infinity },
  ) {
    this.className = className;
    this.defaultName = defaultName;
    this.minimumInputs = inputs.minimum;
    this.maximumInputs = inputs.maximum;
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        className,
        `a layer name must be a non-empty string, got ${JSON.stringify(options.name)}`,
      );
    }
    this.layerName = options.name ?? defaultName;
    this.hasExplicitName = options.name !== undefined;
  }

  /** The layer's name, such as `add_1`. */
  get name(): string {
    return this.layerName;
  }

  /** Renames the layer (a model calls this once, at construction, for auto-named layers). */
  rename(name: string, options: { explicit?: boolean } = {}): void {
    if (typeof name !== 'string' || name.length === 0)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `a layer name must be a non-empty string, got ${JSON.stringify(name)}`,
      );
    this.layerName = name;
    this.hasExplicitName = options.explicit ?? true;
  }

  /** Merge layers have no parameters. */
  parameters(): readonly [] {
    return [];
  }

  /** Merge layers have no buffers. */
  buffers(): readonly [] {
    return [];
  }

  /** Computes the output from every input; the returned tensor is reused by the next call. */
  abstract forward(inputs: readonly Tensor[], options?: { readonly training: boolean }): Tensor;

  /** The gradient with respect to each input of the last forward (reused buffers, or `outputGradient` itself). */
  abstract backward(outputGradient: Tensor, options?: BackwardOptions): readonly Tensor[];

  /** The output shape for the input shapes; `-1` is an unknown (batch) dimension. */
  abstract outputShape(inputShapes: readonly (readonly number[])[]): number[];

  /** Constructor arguments as JSON: `{ className, name, ... }`. */
  getConfig(): LayerConfig {
    return { className: this.className, name: this.layerName, ...this.configEntries() };
  }

  /** The class-specific part of {@link MergeLayer.getConfig}. */
  protected configEntries(): Record<string, JsonValue> {
    return {};
  }

  /** `Add "add_1"`: how error messages name this layer. */
  get operation(): string {
    return `${this.className} "${this.layerName}"`;
  }

  /** Throws unless there are between {@link MergeLayer.minimumInputs} and {@link MergeLayer.maximumInputs} shapes. */
  protected checkInputCount(count: number): void {
    if (count < this.minimumInputs || count > this.maximumInputs) {
      const expected =
        this.minimumInputs === this.maximumInputs ? `exactly ${this.minimumInputs}` : `at least ${this.minimumInputs}`;
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `expected ${expected} inputs, got ${count}`);
    }
  }

  /** Checks the count and that every input is float32 or float64 of one dtype; remembers them for backward. */
  protected recordInputs(inputs: readonly Tensor[]): void {
    if (!Array.isArray(inputs))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `expected an array of input tensors, got ${typeof inputs}`,
      );
    this.checkInputCount(inputs.length);
    const dtype = inputs[0].dtype;
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new AnnetError('DTYPE_MISMATCH', this.operation, `expected float32 or float64 inputs, got ${dtype}`);
    for (let index = 1; index < inputs.length; index++) {
      if (inputs[index].dtype !== dtype)
        throw new AnnetError(
          'DTYPE_MISMATCH',
          this.operation,
          `input ${index} is ${inputs[index].dtype} but input 0 is ${dtype}; merge inputs of one dtype`,
        );
    }
    this.lastInputs = inputs;
  }

  /** The inputs of the last forward; throws when backward comes first or the gradient's shape is not `outputShape`. */
  protected inputsForBackward(outputGradient: Tensor, output: Tensor | undefined): readonly Tensor[] {
    const inputs = this.lastInputs;
    if (inputs === undefined || output === undefined)
      throw new AnnetError(
        'INVALID_STATE',
        this.operation,
        'backward was called before forward; call forward(inputs) first',
      );
    const shape = output.shape;
    const gradientShape = outputGradient.shape;
    let same = shape.length === gradientShape.length;
    for (let axis = 0; same && axis < shape.length; axis++) same = shape[axis] === gradientShape[axis];
    if (!same)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `expected an output gradient of shape ${describeSymbolicShape(shape)} (the last output's shape), got ${describeSymbolicShape(gradientShape)}`,
      );
    if (outputGradient.dtype !== output.dtype)
      throw new AnnetError(
        'DTYPE_MISMATCH',
        this.operation,
        `expected a ${output.dtype} output gradient (the last output's dtype), got ${outputGradient.dtype}`,
      );
    return inputs;
  }
}
