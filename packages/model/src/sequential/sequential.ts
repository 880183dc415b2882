import type { BackwardOptions, JsonObject, LayerConfig, Parameter, StateBuffer } from '@annet/layer-api';
import { layerFromRegistry, type LayerRegistry } from '@annet/layers';
import { AnnetError, createRng, rngFromState, type Rng, type RngState, type Tensor } from '@annet/tensor';
import type { History } from '../callbacks/history.js';
import {
  evaluateModel,
  evaluateModelAsync,
  type AsyncEvaluateOptions,
  type EvaluateOptions,
  type TrainingSetup,
} from '../training/evaluate.js';
import { runStepsYielding } from '../training/yielding-steps.js';
import { resolveYieldEvery, type YieldEvery } from '../training/yield-every.js';
import type { TrainingData } from '../training/data-source.js';
import { fitModel } from '../training/fit.js';
import type { FitOptions } from '../training/fit-options.js';
import type { TrainableModel } from '../training/training-model.js';
import { assignUniqueNames } from './layer-naming.js';
import type { ModelLayer } from './model-layer.js';
import { predictInBatches, predictSteps } from './predict.js';
import { formatSummary, summarizeLayers, type ModelSummary } from './summary.js';
import { fingerprintsEqual, valueFingerprint } from './value-fingerprint.js';

/**
 * Options of {@link Sequential}.
 *
 * @example
 * new Sequential(layers, { name: 'classifier', inputShape: [1, 28, 28] });
 */
export interface SequentialOptions {
  /** The model's name; default `sequential`. */
  readonly name?: string;
  /** Shape of one input sample (no batch dimension), for `summary()`; learned from the first forward pass otherwise. */
  readonly inputShape?: readonly number[];
}

/**
 * A Sequential model as JSON: its name, input shape and the layers' configs in order.
 *
 * @example
 * const config: SequentialConfig = model.getConfig(); // { className: 'Sequential', name, inputShape, layers }
 */
export interface SequentialConfig extends JsonObject {
  readonly className: 'Sequential';
  readonly name: string;
  readonly inputShape: readonly number[] | null;
  readonly layers: readonly LayerConfig[];
}

/**
 * A stack of layers applied in order. On construction every auto-named layer gets a unique
 * Keras-style name (`dense_1`, `dense_2`), so parameter names (`dense_1.weights`) are unique and
 * stable: optimizer state and checkpoints are keyed by them.
 *
 * @example
 * const model = new Sequential([new Dense(784, 128), new ReLU(), new Dense(128, 10)], { inputShape: [784] });
 * model.initialize(42);
 * console.log(model.summary());
 * const probabilities = model.predict(images, { batchSize: 256 });
 */
export class Sequential implements TrainableModel {
  readonly name: string;
  /** The layers, in order. */
  readonly layers: readonly ModelLayer[];
  private readonly declaredInputShape: readonly number[] | null;
  private knownInputShape: readonly number[] | null;
  private readonly parameterList: readonly Parameter[];
  private readonly bufferList: readonly StateBuffer[];
  private initializationRng: Rng | null = null;
  /** `true` once `initialize` ran or weights were loaded through the model. */
  private initialized = false;
  /** Each parameter's and buffer's fingerprint as constructed, to tell whether one was set since. */
  private readonly constructedFingerprints: readonly (readonly [number, number])[];
  private trainingSetup: TrainingSetup | null = null;
  private readonly outputArray: Tensor[] = [];

  constructor(layers: readonly ModelLayer[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'Sequential',
        `expected a non-empty array of layers, got ${Array.isArray(layers) ? 'an empty array' : typeof layers}`,
      );
    }
    this.name = options.name ?? 'sequential';
    this.layers = layers.slice();
    assignUniqueNames(this.layers, `Sequential "${this.name}"`);
    this.declaredInputShape = options.inputShape ? options.inputShape.slice() : null;
    this.knownInputShape = this.declaredInputShape;
    this.parameterList = this.layers.flatMap((layer) => layer.parameters());
    this.bufferList = this.layers.flatMap((layer) => layer.buffers());
    this.constructedFingerprints = this.arrays().map((array) => valueFingerprint(array.value));
  }

  /**
   * Rebuilds a model from {@link Sequential.getConfig} output, each layer through `registry`
   * (required: `defaultLayerRegistry` of `@annet/layers` for every layer, spread with your own
   * classes, or just the classes the model uses, `{ Dense, ReLU }`, so a bundle keeps only those).
   * Layer names come from the config, so parameter names match the original's and its checkpoints load.
   *
   * @example
   * const copy = Sequential.fromConfig(JSON.parse(JSON.stringify(model.getConfig())), { Dense, ReLU });
   */
  static fromConfig(config: SequentialConfig, registry: LayerRegistry): Sequential {
    if (
      typeof config !== 'object' ||
      config === null ||
      config.className !== 'Sequential' ||
      !Array.isArray(config.layers)
    ) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'Sequential.fromConfig',
        `expected { className: 'Sequential', name, inputShape, layers: [...] }, got ${JSON.stringify(config)?.slice(0, 120)}`,
      );
    }
    const layers = config.layers.map((layerConfig) =>
      layerFromRegistry(layerConfig, registry, 'Sequential.fromConfig'),
    );
    return new Sequential(layers, { name: config.name, inputShape: config.inputShape ?? undefined });
  }

  /** Every parameter of every layer, in layer order; the same objects on every call. */
  parameters(): readonly Parameter[] {
    return this.parameterList;
  }

  /** Every buffer (such as BatchNorm running statistics), in layer order. */
  buffers(): readonly StateBuffer[] {
    return this.bufferList;
  }

  private arrays(): (Parameter | StateBuffer)[] {
    return [...this.parameterList, ...this.bufferList];
  }

  /** The input shape given or learned from the first forward pass (no batch dimension). */
  get inputShape(): readonly number[] | null {
    return this.knownInputShape;
  }

  /**
   * Redraws every layer's parameters, in layer order, from one generator seeded with `seed`,
   * resets buffers and reseeds layers with their own streams (Dropout masks) from the same
   * generator. The same seed gives bit-identical weights and masks.
   */
  initialize(seed: number): this {
    const rng = createRng(seed);
    for (const layer of this.layers) layer.initialize?.(rng);
    this.initializationRng = rng;
    this.initialized = true;
    return this;
  }

  /**
   * `true` once the parameters were drawn or set: {@link Sequential.initialize} ran, weights were
   * loaded (`writeModelState`, {@link Sequential.markInitialized}), or any parameter or buffer
   * differs from its value at construction (`loadWeights` of `@annet/layers`, or values written by
   * hand). `fit` initializes with its seed only a model for which this is `false`, so it never
   * overwrites weights that were set.
   */
  get isInitialized(): boolean {
    if (this.initialized) return true;
    const arrays = this.arrays();
    return arrays.some(
      (array, index) => !fingerprintsEqual(valueFingerprint(array.value), this.constructedFingerprints[index]),
    );
  }

  /**
   * Records that the weights were set from outside, so `fit` keeps them (even where they happen to
   * equal the values the layers were constructed with).
   *
   * @example
   * loadWeights(model, pretrained); // @annet/layers
   * model.markInitialized();        // needed only if the loaded values could equal the constructed ones
   */
  markInitialized(): this {
    this.initialized = true;
    return this;
  }

  /** The state of the initialization stream after {@link Sequential.initialize}, or `null`. */
  initializationState(): RngState | null {
    return this.initializationRng?.state() ?? null;
  }

  /**
   * Continues the initialization stream from a saved state (a checkpoint's `rng.initialization`),
   * so a restored model reports the same stream state as the one saved.
   */
  restoreInitializationState(state: RngState): void {
    this.initializationRng = rngFromState(state);
  }

  /** Runs every layer in order. The result is a buffer reused by the next call. */
  forward(input: Tensor, options: { readonly training: boolean } = { training: false }): Tensor {
    if (this.knownInputShape === null && input.rank > 0) this.knownInputShape = input.shape.slice(1);
    let output = input;
    for (const layer of this.layers) output = layer.forward(output, options);
    return output;
  }

  /**
   * Back-propagates `outputGradient` through every layer in reverse, writing parameter gradients,
   * and returns the gradient with respect to the model's input. Training passes
   * `{ inputGradient: false }`: the first layer then skips that last product (its result is unused).
   */
  backward(outputGradient: Tensor, options?: BackwardOptions): Tensor {
    let gradient = outputGradient;
    for (let index = this.layers.length - 1; index > 0; index--) gradient = this.layers[index].backward(gradient);
    return this.layers.length === 0 ? gradient : this.layers[0].backward(gradient, options);
  }

  /** One input, named `input` (what {@link TrainableModel} needs; batches pass it as a plain tensor). */
  get inputNames(): readonly string[] {
    return sequentialInputNames;
  }

  /** One output, named `output`. */
  get outputNames(): readonly string[] {
    return sequentialOutputNames;
  }

  /** The training loop's forward: {@link Sequential.forward} of the one input, as a one-element array (reused). */
  forwardArrays(inputs: readonly Tensor[], training: boolean): readonly Tensor[] {
    this.outputArray[0] = this.forward(inputs[0], training ? trainingMode : inferenceMode);
    return this.outputArray;
  }

  /** The training loop's backward: {@link Sequential.backward} of the one output gradient, the first layer skipping the input gradient. */
  backwardArrays(outputGradients: readonly Tensor[]): void {
    this.backward(outputGradients[0], skipInputGradient);
  }

  /**
   * Outputs for `inputs` (inference mode: no dropout, BatchNorm uses running statistics),
   * computed `batchSize` rows at a time (default 32), in a fresh tensor.
   */
  predict(inputs: Tensor, options: { readonly batchSize?: number } = {}): Tensor {
    return predictInBatches(
      (batch) => this.forward(batch, { training: false }),
      inputs,
      options.batchSize ?? 32,
      `Sequential "${this.name}".predict`,
    );
  }

  /**
   * {@link Sequential.predict} that hands the thread back to the event loop between batches as
   * `yieldEvery` says (default `'auto'`: every 20 ms in browsers, never in Node), so a page stays
   * responsive while a large input runs. Same numbers as `predict`.
   *
   * @example
   * const probabilities = await model.predictAsync(images, { batchSize: 256, yieldEvery: 'batch' });
   */
  predictAsync(
    inputs: Tensor,
    options: { readonly batchSize?: number; readonly yieldEvery?: YieldEvery } = {},
  ): Promise<Tensor> {
    const operation = `Sequential "${this.name}".predictAsync`;
    const policy = resolveYieldEvery(options.yieldEvery, false, operation);
    return runStepsYielding(
      predictSteps((batch) => this.forward(batch, { training: false }), inputs, options.batchSize ?? 32, operation),
      policy,
    );
  }

  /**
   * Trains the model: per batch forward, loss, backward and an optimizer step; per epoch optional
   * validation, logs and callbacks. Resolves to the {@link History} of the whole run (a resumed
   * run's includes the epochs before the checkpoint). See {@link FitOptions}.
   *
   * @example
   * const history = await model.fit({ inputs: images, targets: labels }, {
   *   optimizer: new Adam({ learningRate: 1e-3 }), loss: 'softmaxCrossEntropy', epochs: 10,
   *   batchSize: 64, validationSplit: 0.2, metrics: ['accuracy'], callbacks: [new ProgressBar()],
   * });
   */
  async fit(trainData: TrainingData, options: FitOptions): Promise<History> {
    this.trainingSetup = { loss: options.loss, lossWeights: options.lossWeights, metrics: options.metrics ?? [] };
    return fitModel(this, trainData, options, `Sequential "${this.name}".fit`);
  }

  /**
   * The mean loss and metrics over `data` in inference mode, such as `{ loss, accuracy }`;
   * loss and metrics default to those of the last `fit`.
   *
   * @example
   * model.evaluate({ inputs: testImages, targets: testLabels }); // { loss: 0.08, accuracy: 0.975 }
   */
  evaluate(data: TrainingData, options: EvaluateOptions = {}): Record<string, number> {
    return evaluateModel(this, data, options, this.trainingSetup, `Sequential "${this.name}".evaluate`);
  }

  /**
   * {@link Sequential.evaluate} that yields to the event loop as `yieldEvery` says, and also reads
   * streams (a DataLoader over an `IterableDataset`).
   *
   * @example
   * await model.evaluateAsync({ inputs: testImages, targets: testLabels }, { yieldEvery: { batches: 4 } }); // { loss: 0.08, accuracy: 0.975 }
   */
  evaluateAsync(data: TrainingData, options: AsyncEvaluateOptions = {}): Promise<Record<string, number>> {
    return evaluateModelAsync(this, data, options, this.trainingSetup, `Sequential "${this.name}".evaluateAsync`);
  }

  /** Per-layer output shapes and parameter counts as data. */
  summaryData(inputShape: readonly number[] | null = this.knownInputShape): ModelSummary {
    return summarizeLayers(this.layers, inputShape);
  }

  /** A printable table of layers, output shapes and parameter counts. */
  summary(inputShape: readonly number[] | null = this.knownInputShape): string {
    return formatSummary(this.name, this.summaryData(inputShape));
  }

  /**
   * The model as JSON (the input shape only when given to the constructor, so the config does not
   * change by running the model); rebuild it with {@link Sequential.fromConfig}. Weights are not included.
   */
  getConfig(): SequentialConfig {
    return {
      className: 'Sequential',
      name: this.name,
      inputShape: this.declaredInputShape ? this.declaredInputShape.slice() : null,
      layers: this.layers.map((layer) => layer.getConfig()),
    };
  }
}

const sequentialInputNames: readonly string[] = Object.freeze(['input']);
const sequentialOutputNames: readonly string[] = Object.freeze(['output']);
const trainingMode = { training: true } as const;
const inferenceMode = { training: false } as const;
/** Training never uses the gradient with respect to the model's input: let the first layer skip it. */
const skipInputGradient = { inputGradient: false } as const;
