import type { JsonObject, Parameter, StateBuffer } from '@annet/layer-api';
import type { RngState, Tensor } from '@annet/tensor';
import type { ModelLayer } from '../sequential/model-layer.js';

/**
 * What callbacks see of the model being trained: its name, its parameters and buffers (enough to
 * check, copy or restore its weights) and `predict`. A {@link Sequential} is one; so is any model
 * class that {@link TrainableModel} describes.
 *
 * @example
 * const report: Callback = { name: 'report', onEpochEnd: (_logs, { model }) => console.log(model.name, model.parameters().length) };
 */
export interface CallbackModel {
  /** The model's name; parameter names are unique within it. */
  readonly name: string;
  /** Every parameter, in a stable order; the same objects on every call. */
  parameters(): readonly Parameter[];
  /** Every buffer (such as BatchNorm running statistics), in a stable order. */
  buffers(): readonly StateBuffer[];
  /** Outputs for `inputs` in inference mode, in a fresh tensor (a model of one output). */
  predict(inputs: Tensor, options?: { readonly batchSize?: number }): Tensor;
}

/**
 * What `fit`, `evaluate` and checkpoints need of a model. The training loop depends on this
 * interface only, never on a model class, so a new kind of model trains, checkpoints and resumes
 * by implementing it.
 *
 * @example
 * const model: TrainableModel = new Sequential([new Dense(4, 3)], { inputShape: [4] });
 * await fitModel(model, { inputs, targets }, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 2 });
 */
export interface TrainableModel extends CallbackModel {
  /** The layers; a layer with `getState`/`setState` (Dropout's mask generator) has its state saved under its name. */
  readonly layers: readonly Pick<ModelLayer, 'name' | 'getState' | 'setState'>[];
  /** The inputs' names: the keys of a batch's `inputs` record (a model of one input also takes a plain tensor). */
  readonly inputNames: readonly string[];
  /** The outputs' names: the keys of a batch's `targets` record, of per-output losses, metrics and logs. */
  readonly outputNames: readonly string[];
  /**
   * Runs the model on one tensor per input (in {@link TrainableModel.inputNames} order) and returns
   * one per output (in {@link TrainableModel.outputNames} order); results may be buffers, and the
   * array itself, reused by the next call.
   */
  forwardArrays(inputs: readonly Tensor[], training: boolean): readonly Tensor[];
  /**
   * Back-propagates one gradient per output, writing every parameter's gradient; the gradient with
   * respect to the inputs is not needed (layers may skip it).
   */
  backwardArrays(outputGradients: readonly Tensor[]): void;
  /** The architecture as JSON; a resume compares it with the checkpoint's. */
  getConfig(): JsonObject;
  /** `true` once the parameters were drawn or set, so `fit` must not draw them again. */
  readonly isInitialized: boolean;
  /** Draws every parameter from one generator seeded with `seed`. */
  initialize(seed: number): unknown;
  /** The initialization stream's state after `initialize`, or `null`. */
  initializationState(): RngState | null;
  /** Continues the initialization stream from a saved state. */
  restoreInitializationState(state: RngState): void;
  /** Records that the parameters were set from outside (a checkpoint was loaded), so `fit` keeps them. */
  markInitialized?(): void;
}
