import type { BackwardOptions, FloatDType, JsonObject, JsonValue, Layer, LayerConfig } from '@annet/layer-api';
import { AnnetError, formatShape, createRng, shapesEqual, type Rng, type Tensor } from '@annet/tensor';
import type { Fans, Initializer } from './initializers/initializer.js';
import { LayerBuffer, LayerParameter } from './layer-parameter.js';
import { Workspace } from './workspace.js';

/**
 * Options every layer takes.
 *
 * @example
 * const options: LayerOptions = { name: 'hidden', dtype: 'float64' };
 */
export interface LayerOptions {
  /** The layer's name; default: its class in snake_case (`dense`), which a model makes unique (`dense_1`). */
  readonly name?: string;
  /**
   * Element type of parameters, buffers and outputs; default `'float32'`. Layers without
   * parameters compute in their input's dtype, whatever this says.
   */
  readonly dtype?: FloatDType;
}

/**
 * Options of layers with parameters: where the initial values come from.
 *
 * @example
 * const options: SeededLayerOptions = { seed: 42 };
 */
export interface SeededLayerOptions extends LayerOptions {
  /** Draw the initial parameters from this generator (it advances). Wins over `seed`. */
  readonly rng?: Rng;
  /** Draw the initial parameters from `createRng(seed)`; default 0, so layers are deterministic. */
  readonly seed?: number;
}

/**
 * The base of every annet layer: naming, parameters and buffers, config and the bookkeeping that
 * makes `backward` safe. Subclasses put forward and backward side by side in one file.
 *
 * Outputs, gradients and scratch space live in the layer's {@link Workspace} (`this.workspace`),
 * allocated once per input shape and reused: the tensor `forward` or `backward` returns is
 * overwritten by the next call. Copy it (`clone()`) to keep it.
 * `backward` overwrites parameter gradients; it never accumulates.
 *
 * @example
 * const layer = new Dense(784, 128);
 * layer.name;               // 'dense'
 * layer.rename('dense_1');
 * layer.parameters().map((parameter) => parameter.name); // ['dense_1.weights', 'dense_1.biases']
 */
export abstract class BaseLayer implements Layer<Tensor> {
  /** The registry key of the class, such as `Dense`. */
  readonly className: string;
  /** The name used when none is given, such as `dense`. */
  readonly defaultName: string;
  /** Element type of parameters and buffers. */
  readonly dtype: FloatDType;
  /** `true` when the name came from the `name` option or a `rename`, `false` when derived. */
  hasExplicitName: boolean;
  /** The input of the last forward pass, which backward needs. */
  protected lastInput: Tensor | undefined;
  /** Whether the last forward pass was in training mode. */
  protected lastTraining = false;
  /** The layer's reusable buffers, scratch arrays and cached views, by name (see {@link Workspace}). */
  protected readonly workspace: Workspace = new Workspace(this);
  private layerName: string;
  private readonly parameterList: LayerParameter[] = [];
  private readonly bufferList: LayerBuffer[] = [];
  private operationName: string | undefined;
  private operationNameFor: string | undefined;

  protected constructor(className: string, defaultName: string, options: LayerOptions = {}) {
    this.className = className;
    this.defaultName = defaultName;
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        className,
        `dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`,
      );
    }
    this.dtype = dtype;
    if (options.name !== undefined) checkName(className, options.name);
    this.layerName = options.name ?? defaultName;
    this.hasExplicitName = options.name !== undefined;
  }

  /** The layer's name; its parameters are called `<name>.<parameter>`. */
  get name(): string {
    return this.layerName;
  }

  /**
   * Renames the layer and its parameters and buffers (`dense_1.weights`). A model calls this once,
   * at construction; rename before creating an optimizer, whose state is keyed by name.
   */
  rename(name: string, options: { explicit?: boolean } = {}): void {
    checkName(this.operation, name);
    this.layerName = name;
    this.hasExplicitName = options.explicit ?? true;
    for (const parameter of this.parameterList) parameter.setLayerName(name);
    for (const buffer of this.bufferList) buffer.setLayerName(name);
  }

  /** The trainable arrays in a fixed order; the same objects on every call. */
  parameters(): readonly LayerParameter[] {
    return this.parameterList;
  }

  /** The saved-but-untrained arrays (`[]` for most layers); the same objects on every call. */
  buffers(): readonly LayerBuffer[] {
    return this.bufferList;
  }

  /** Redraws every parameter from `rng` in order and resets every buffer. */
  initialize(rng: Rng): void {
    for (const parameter of this.parameterList) parameter.initialize(rng);
    for (const buffer of this.bufferList) buffer.reset();
  }

  /** Computes the output; the returned tensor is reused by the next call. */
  abstract forward(input: Tensor, options?: { readonly training: boolean }): Tensor;

  /** Writes parameter gradients (overwriting) and returns the input gradient (reused by the next call). */
  abstract backward(outputGradient: Tensor, options?: BackwardOptions): Tensor;

  /** The output shape for an input shape; `-1` is an unknown (batch) dimension. */
  abstract outputShape(inputShape: readonly number[]): number[];

  /** Constructor arguments as JSON: `{ className, name, dtype, ... }`. */
  getConfig(): LayerConfig {
    return { className: this.className, name: this.layerName, dtype: this.dtype, ...this.configEntries() };
  }

  /** The class-specific part of {@link BaseLayer.getConfig}. */
  protected configEntries(): Record<string, JsonValue> {
    return {};
  }

  /** `Dense "dense_1"`: how error messages name this layer (built once per name, so checks on every step allocate nothing). */
  protected get operation(): string {
    if (this.operationName === undefined || this.operationNameFor !== this.layerName) {
      this.operationName = `${this.className} "${this.layerName}"`;
      this.operationNameFor = this.layerName;
    }
    return this.operationName;
  }

  /** Registers a parameter; call in the constructor, in the order `initialize` draws them. */
  protected addParameter(
    localName: string,
    shape: readonly number[],
    initializer: Initializer,
    fans: Fans,
  ): LayerParameter {
    const parameter = new LayerParameter(this.layerName, localName, shape, this.dtype, initializer, fans);
    this.parameterList.push(parameter);
    return parameter;
  }

  /** Registers a buffer filled with `initialValue`. */
  protected addBuffer(localName: string, shape: readonly number[], initialValue: number): LayerBuffer {
    const buffer = new LayerBuffer(this.layerName, localName, shape, this.dtype, initialValue);
    this.bufferList.push(buffer);
    return buffer;
  }

  /** Records what backward needs from a forward pass: its input and whether it was training. */
  protected recordForward(input: Tensor, options: { readonly training: boolean } | undefined): void {
    this.lastInput = input;
    this.lastTraining = options?.training ?? false;
  }

  /**
   * {@link BaseLayer.checkBackward} against the last output tensor (undefined before any forward);
   * returns the last input.
   */
  protected checkBackwardAgainst(outputGradient: Tensor, output: Tensor | undefined): Tensor {
    return this.checkBackward(outputGradient, output?.shape ?? [], output?.dtype ?? this.dtype);
  }

  /**
   * Checks that forward ran and that `outputGradient` has the last output's shape and dtype;
   * returns the last input.
   */
  protected checkBackward(outputGradient: Tensor, outputShape: readonly number[], outputDType: string): Tensor {
    const input = this.lastInput;
    if (input === undefined) {
      throw new AnnetError(
        'INVALID_STATE',
        this.operation,
        'backward was called before forward; call forward(input) first',
      );
    }
    if (!shapesEqual(outputGradient.shape, outputShape)) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `expected an output gradient of shape ${formatShape(outputShape)} (the last output's shape), got ${formatShape(outputGradient.shape)}`,
      );
    }
    if (outputGradient.dtype !== outputDType) {
      throw new AnnetError(
        'DTYPE_MISMATCH',
        this.operation,
        `expected a ${outputDType} output gradient (the last output's dtype), got ${outputGradient.dtype}`,
      );
    }
    return input;
  }
}

/**
 * The generator a layer draws its first parameters from: `options.rng`, or `createRng(options.seed ?? 0)`.
 *
 * @example
 * const rng = initialRng({ seed: 3 }); // createRng(3)
 */
export function initialRng(options: SeededLayerOptions): Rng {
  return options.rng ?? createRng(options.seed ?? 0);
}

/**
 * The JSON entries that record how a layer was seeded (only `seed`; an rng object is not JSON).
 *
 * @example
 * seedConfig({ seed: 3 }); // { seed: 3 }
 */
export function seedConfig(options: SeededLayerOptions): JsonObject {
  return options.seed !== undefined && options.rng === undefined ? { seed: options.seed } : {};
}

function checkName(operation: string, name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `a layer name must be a non-empty string, got ${JSON.stringify(name)}`,
    );
  }
}
