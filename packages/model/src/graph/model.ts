import type { Parameter, StateBuffer, Trainable } from '@annet/layer-api';
import type { LayerRegistry } from '@annet/layers';
import { AnnetError, createRng, rngFromState, Tensor, type Rng, type RngState } from '@annet/tensor';
import type { History } from '../callbacks/history.js';
import type { TrainingData } from '../training/data-source.js';
import {
  evaluateModel,
  evaluateModelAsync,
  type AsyncEvaluateOptions,
  type EvaluateOptions,
  type TrainingSetup,
} from '../training/evaluate.js';
import { runStepsYielding } from '../training/yielding-steps.js';
import { resolveYieldEvery, type YieldEvery } from '../training/yield-every.js';
import { fitModel } from '../training/fit.js';
import type { FitOptions } from '../training/fit-options.js';
import type { TrainableModel } from '../training/training-model.js';
import type { GraphLayer } from './graph-layer.js';
import { GraphExecutor } from './graph-executor.js';
import { buildPlan, type GraphPlan } from './graph-plan.js';
import { formatGraphSummary, summarizePlan, type GraphSummary } from './graph-summary.js';
import { graphFromConfig, planConfig, type ModelConfig } from './model-config.js';
import { orderInputs, type ModelInputs, type NamedTensors } from './named-tensors.js';
import { predictArraysInBatches, predictArraySteps } from './predict-batches.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/**
 * What {@link Model} is built from: the symbolic inputs and the outputs, as one tensor, an array
 * (named after the layers that produce them) or an object keyed by output name.
 *
 * @example
 * new Model({ inputs: [image, extra], outputs: { digit: logits }, name: 'two_inputs' });
 */
export interface ModelOptions {
  readonly inputs: SymbolicTensor | readonly SymbolicTensor[];
  readonly outputs: SymbolicTensor | readonly SymbolicTensor[] | Readonly<Record<string, SymbolicTensor>>;
  /** The model's name; default `model`. */
  readonly name?: string;
}

/**
 * A graph model (Keras' functional `Model`): layers called on symbolic tensors with {@link apply},
 * from named {@link input}s to named outputs, checked and put in execution order when
 * constructed. Residual connections, several inputs and outputs and shared layers (one layer
 * called twice, its gradients summed) are all graphs. Auto-named layers get unique, stable names
 * (`dense_1`) in the order of their first call, so parameter names key optimizer state and checkpoints.
 *
 * @example
 * const x = input({ name: 'features', shape: [16] });
 * const h = apply(new ReLU(), apply(new Dense(16, 16), x));
 * const model = new Model({ inputs: x, outputs: apply(new Dense(16, 3), apply(new Add(), [x, h])) });
 * model.initialize(42);
 * const logits = model.predict(features);
 */
export class Model implements Trainable, TrainableModel {
  readonly name: string;
  /** Every distinct layer, in the order of its first call. */
  readonly layers: readonly GraphLayer[];
  /** Input names, in the order arrays of inputs use. */
  readonly inputNames: readonly string[];
  /** Output names, in the order arrays of outputs and losses use. */
  readonly outputNames: readonly string[];
  /** @internal The validated graph. */
  readonly plan: GraphPlan;
  private readonly executor: GraphExecutor;
  private readonly parameterList: readonly Parameter[];
  private readonly bufferList: readonly StateBuffer[];
  private readonly orderedInputs: Tensor[] = [];
  private readonly namedOutputs: Record<string, Tensor> = {};
  private initializationRng: Rng | null = null;
  private initialized = false;
  private trainingSetup: TrainingSetup | null = null;

  constructor(options: ModelOptions) {
    this.name = options?.name ?? 'model';
    const operation = `Model "${this.name}"`;
    if (typeof options !== 'object' || options === null)
      throw new AnnetError('INVALID_ARGUMENT', operation, 'expected { inputs, outputs, name? }');
    const inputs =
      options.inputs instanceof SymbolicTensor
        ? [options.inputs]
        : Array.isArray(options.inputs)
          ? options.inputs
          : null;
    if (inputs === null || !inputs.every((entry) => entry instanceof SymbolicTensor))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        'inputs must be a symbolic tensor from input({ ... }) or an array of them',
      );
    this.plan = buildPlan(inputs, namedOutputs(options.outputs, operation), operation);
    this.layers = this.plan.layers;
    this.inputNames = this.plan.inputNames;
    this.outputNames = this.plan.outputNames;
    this.executor = new GraphExecutor(this.plan);
    // A parameter shared by two layers (weight tying) is listed, trained and saved once.
    this.parameterList = [...new Set(this.layers.flatMap((layer) => layer.parameters()))];
    this.bufferList = this.layers.flatMap((layer) => layer.buffers());
  }

  /**
   * Rebuilds a model from {@link Model.getConfig} output, each layer through `registry` (required:
   * `defaultLayerRegistry` of `@annet/layers`, or only the classes used, so a bundle keeps only
   * those). Names come from the config, so checkpoints of the original load.
   *
   * @example
   * const copy = Model.fromConfig(JSON.parse(JSON.stringify(model.getConfig())), defaultLayerRegistry);
   */
  static fromConfig(config: ModelConfig, registry: LayerRegistry): Model {
    const { inputs, outputs } = graphFromConfig(config, registry);
    return new Model({ inputs, outputs, name: config.name });
  }

  /** Every parameter of every layer, in layer order (a shared layer's, or a parameter shared by layers, once); the same objects on every call. */
  parameters(): readonly Parameter[] {
    return this.parameterList;
  }

  /** Every buffer (such as BatchNorm running statistics), in layer order. */
  buffers(): readonly StateBuffer[] {
    return this.bufferList;
  }

  /** Redraws every layer's parameters, in layer order, from one generator seeded with `seed` (as `Sequential.initialize`). */
  initialize(seed: number): this {
    const rng = createRng(seed);
    for (const layer of this.layers) layer.initialize?.(rng);
    this.initializationRng = rng;
    this.initialized = true;
    return this;
  }

  /** `true` once {@link Model.initialize} ran or weights were loaded (`fit` initializes with its seed otherwise). */
  get isInitialized(): boolean {
    return this.initialized;
  }

  /** Records that the weights were set from outside (a checkpoint was loaded), so `fit` keeps them. */
  markInitialized(): this {
    this.initialized = true;
    return this;
  }

  /** The state of the initialization stream after {@link Model.initialize}, or `null`. */
  initializationState(): RngState | null {
    return this.initializationRng?.state() ?? null;
  }

  /** Continues the initialization stream from a saved state (a checkpoint's `rng.initialization`). */
  restoreInitializationState(state: RngState): void {
    this.initializationRng = rngFromState(state);
  }

  /**
   * Runs the graph on a batch: inputs as one tensor, an array in {@link Model.inputNames} order or
   * `{ name: tensor }`; returns the outputs by name (reused buffers, overwritten by the next call).
   *
   * @example
   * const { digit } = model.forward({ image, extra }, { training: false });
   */
  forward(inputs: ModelInputs, options: { readonly training: boolean } = { training: false }): NamedTensors {
    const outputs = this.forwardArrays(
      orderInputs(inputs, this.inputNames, this.plan.inputs, this.orderedInputs, `Model "${this.name}".forward`),
      options.training,
    );
    for (let index = 0; index < outputs.length; index++) this.namedOutputs[this.outputNames[index]] = outputs[index];
    return this.namedOutputs;
  }

  /** The engine's forward: inputs and outputs as arrays in name order, unchecked (the training loop checks data once). */
  forwardArrays(inputs: readonly Tensor[], training: boolean): readonly Tensor[] {
    return this.executor.forward(inputs, training);
  }

  /**
   * Back-propagates one gradient per output (array in {@link Model.outputNames} order, or by name)
   * through the graph in reverse, writing every parameter's `grad` (a shared layer's summed over
   * its calls). With `inputGradients: true` it returns the gradient with respect to each input by
   * name; otherwise layers that read only inputs skip that product and it returns `{}`.
   *
   * @example
   * model.forward(inputs, { training: true });
   * model.backward({ digit: lossGradient });
   */
  backward(
    outputGradients: Tensor | readonly Tensor[] | NamedTensors,
    options: { readonly inputGradients?: boolean } = {},
  ): NamedTensors {
    const gradients = orderGradients(outputGradients, this.outputNames, `Model "${this.name}".backward`);
    const inputGradients = this.executor.backward(gradients, options);
    const result: Record<string, Tensor> = {};
    if (options.inputGradients) this.inputNames.forEach((name, index) => (result[name] = inputGradients[index]!));
    return result;
  }

  /** The engine's backward, gradients in output order; input gradients skipped. */
  backwardArrays(outputGradients: readonly Tensor[]): void {
    this.executor.backward(outputGradients);
  }

  /**
   * Outputs by name for `inputs` (inference mode), `batchSize` rows at a time (default 32), in fresh tensors.
   *
   * @example
   * const { digit, box } = model.predictNamed({ image, extra }, { batchSize: 256 });
   */
  predictNamed(inputs: ModelInputs, options: { readonly batchSize?: number } = {}): NamedTensors {
    const operation = `Model "${this.name}".predict`;
    const ordered = orderInputs(inputs, this.inputNames, this.plan.inputs, [], operation);
    const outputs = predictArraysInBatches(
      (batch) => this.forwardArrays(batch, false),
      ordered,
      options.batchSize ?? 32,
      operation,
    );
    const result: Record<string, Tensor> = {};
    this.outputNames.forEach((outputName, index) => (result[outputName] = outputs[index]));
    return result;
  }

  /**
   * {@link Model.predictNamed} that yields to the event loop between batches as `yieldEvery` says
   * (default `'auto'`: every 20 ms in browsers, never in Node). Same numbers as `predictNamed`.
   *
   * @example
   * const { digit } = await model.predictNamedAsync({ image, extra }, { yieldEvery: 'batch' });
   */
  async predictNamedAsync(
    inputs: ModelInputs,
    options: { readonly batchSize?: number; readonly yieldEvery?: YieldEvery } = {},
  ): Promise<NamedTensors> {
    const operation = `Model "${this.name}".predictAsync`;
    const ordered = orderInputs(inputs, this.inputNames, this.plan.inputs, [], operation);
    const policy = resolveYieldEvery(options.yieldEvery, false, operation);
    const outputs = await runStepsYielding(
      predictArraySteps((batch) => this.forwardArrays(batch, false), ordered, options.batchSize ?? 32, operation),
      policy,
    );
    const result: Record<string, Tensor> = {};
    this.outputNames.forEach((outputName, index) => (result[outputName] = outputs[index]));
    return result;
  }

  /**
   * {@link Model.predict} that yields to the event loop between batches (see {@link Model.predictNamedAsync}).
   *
   * @example
   * const probabilities = await model.predictAsync(images, { batchSize: 256 });
   */
  async predictAsync(
    inputs: ModelInputs,
    options: { readonly batchSize?: number; readonly yieldEvery?: YieldEvery } = {},
  ): Promise<Tensor> {
    if (this.outputNames.length !== 1)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        `Model "${this.name}".predictAsync`,
        `the model has ${this.outputNames.length} outputs (${this.outputNames.join(', ')}); use predictNamedAsync`,
      );
    return (await this.predictNamedAsync(inputs, options))[this.outputNames[0]];
  }

  /**
   * The output of a model with one output for `inputs` (inference mode), `batchSize` rows at a
   * time (default 32), in a fresh tensor. Use {@link Model.predictNamed} for several outputs.
   *
   * @example
   * const probabilities = model.predict(images, { batchSize: 256 });
   */
  predict(inputs: ModelInputs, options: { readonly batchSize?: number } = {}): Tensor {
    if (this.outputNames.length !== 1)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        `Model "${this.name}".predict`,
        `the model has ${this.outputNames.length} outputs (${this.outputNames.join(', ')}); use predictNamed`,
      );
    return this.predictNamed(inputs, options)[this.outputNames[0]];
  }

  /**
   * Trains the model with the one training loop `Sequential` uses: per batch forward, the loss of
   * every output (weighted), backward through the graph, an optimizer step; per epoch validation,
   * logs and callbacks; checkpoints and exact resume. Data gives inputs and targets by name
   * (`{ inputs: { image, extra }, targets: { digit } }`, or a loader of such batches); a model of
   * one input or output also takes plain tensors.
   *
   * @example
   * await model.fit({ inputs: { image, extra }, targets: { digit: labels, box: boxes } }, {
   *   optimizer: new Adam(), loss: { digit: 'softmaxCrossEntropy', box: 'meanSquaredError' },
   *   lossWeights: { box: 0.5 }, metrics: { digit: ['accuracy'] }, epochs: 5,
   * });
   */
  async fit(trainData: TrainingData, options: FitOptions): Promise<History> {
    this.trainingSetup = { loss: options.loss, lossWeights: options.lossWeights, metrics: options.metrics ?? [] };
    return fitModel(this, trainData, options, `Model "${this.name}".fit`);
  }

  /**
   * The mean loss and metrics over `data` in inference mode; loss, weights and metrics default to
   * those of the last `fit`. With several outputs the logs hold `loss` (the weighted total),
   * `loss.<output>` and `<metric>.<output>`.
   *
   * @example
   * model.evaluate({ inputs: { image, extra }, targets: { digit } }); // { loss: 0.05, accuracy: 0.99 }
   */
  evaluate(data: TrainingData, options: EvaluateOptions = {}): Record<string, number> {
    return evaluateModel(this, data, options, this.trainingSetup, `Model "${this.name}".evaluate`);
  }

  /**
   * {@link Model.evaluate} that yields to the event loop as `yieldEvery` says, and also reads streams.
   *
   * @example
   * await model.evaluateAsync({ inputs: { image, extra }, targets: { digit } }, { yieldEvery: 'batch' });
   */
  evaluateAsync(data: TrainingData, options: AsyncEvaluateOptions = {}): Promise<Record<string, number>> {
    return evaluateModelAsync(this, data, options, this.trainingSetup, `Model "${this.name}".evaluateAsync`);
  }

  /** Per-call rows (output shape, parameters, inbound tensors) and totals, as data. */
  summaryData(): GraphSummary {
    return summarizePlan(this.plan);
  }

  /** A printable table of layer calls, output shapes, parameter counts and inbound tensors. */
  summary(): string {
    return formatGraphSummary(this.name, this.summaryData());
  }

  /** The model as JSON; rebuild it with {@link Model.fromConfig}. Weights are not included. */
  getConfig(): ModelConfig {
    return planConfig(this.name, this.plan);
  }
}

function namedOutputs(outputs: ModelOptions['outputs'], operation: string): [string | null, SymbolicTensor][] {
  if (outputs instanceof SymbolicTensor) return [[null, outputs]];
  const entries: [string | null, unknown][] = Array.isArray(outputs)
    ? outputs.map((tensor) => [null, tensor])
    : typeof outputs === 'object' && outputs !== null
      ? Object.entries(outputs)
      : [];
  if (entries.length === 0 || !entries.every(([, tensor]) => tensor instanceof SymbolicTensor)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'outputs must be a symbolic tensor, an array of them or { name: tensor }',
    );
  }
  return entries as [string | null, SymbolicTensor][];
}

function orderGradients(
  gradients: Tensor | readonly Tensor[] | NamedTensors,
  names: readonly string[],
  operation: string,
): Tensor[] {
  if (Array.isArray(gradients)) {
    if (gradients.length !== names.length)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `expected ${names.length} output gradients (${names.join(', ')}), got ${gradients.length}`,
      );
    return gradients.slice();
  }
  if (gradients instanceof Tensor) {
    if (names.length !== 1)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `the model has ${names.length} outputs (${names.join(', ')}); pass one gradient per output, as an array or by name`,
      );
    return [gradients];
  }
  return names.map((name) => {
    const gradient = (gradients as NamedTensors)[name];
    if (gradient === undefined)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `the gradient of output ${JSON.stringify(name)} is missing; pass one per output: { ${names.join(', ')} }`,
      );
    return gradient;
  });
}
