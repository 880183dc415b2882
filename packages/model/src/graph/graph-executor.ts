import type { FloatArray, Parameter } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import type { GraphLayer, MultiInputModelLayer } from './graph-layer.js';
import type { ModelLayer } from '../sequential/model-layer.js';
import type { GraphPlan, PlanNode } from './graph-plan.js';
import { addInto, copyOf } from './gradient-sum.js';
import { captureLayer, restoreLayer, type LayerSnapshot } from './layer-snapshot.js';

const skipInputGradient = { inputGradient: false } as const;
const withInputGradient = { inputGradient: true } as const;

/**
 * Runs a {@link GraphPlan}: forward in execution order, backward in reverse, with every buffer
 * kept between steps (a steady-state step of a graph without shared layers allocates nothing).
 *
 * **Fan-out.** A tensor used k times receives k gradients; they are summed into a buffer the
 * executor owns for that tensor (a tensor used once borrows the gradient its consumer returned).
 *
 * **Shared layers.** An annet layer remembers only its last forward and its backward overwrites
 * its parameters' `grad`. For a layer called n > 1 times, the executor therefore
 * - copies the output of every call but the last (the next call would overwrite the layer's buffer),
 * - snapshots the layer's state and buffers before every call but the last,
 * - in backward (reverse order: the last call first, whose forward is still the layer's own)
 *   recomputes each earlier call's forward from the snapshot with the same input before its
 *   backward (the same Dropout mask; BatchNorm's running statistics put back afterwards), and
 * - accumulates (see below).
 * The price of this per-call context without changing the layer contract is one extra forward per
 * extra call (the recomputation that gradient checkpointing also pays).
 *
 * **Shared parameters.** A parameter object may belong to several layers (a `TransposedEmbedding`
 * reads its `Embedding`'s table: weight tying) or to a layer called several times. Every layer's
 * backward overwrites `grad`, so before a backward that meets a parameter already written in this
 * pass, the executor saves that `grad` and adds it back after: `grad` ends as the sum over every use.
 *
 * @example
 * const executor = new GraphExecutor(plan);
 * const [logits] = executor.forward([images], true);
 * executor.backward([lossGradient]);
 */
export class GraphExecutor {
  private readonly values: (Tensor | undefined)[];
  private readonly gradients: (Tensor | undefined)[];
  private readonly ownedGradients: (Tensor | undefined)[];
  private readonly contributions: Int32Array;
  private readonly copiedOutputs: (Tensor | undefined)[];
  private readonly nodeInputs: Tensor[][];
  private readonly snapshots: (LayerSnapshot | undefined)[];
  private readonly currentState = new Map<GraphLayer, LayerSnapshot>();
  private readonly savedGradients = new Map<object, FloatArray>();
  /** The backward pass that last wrote each parameter's `grad` (compared with {@link GraphExecutor.pass}). */
  private readonly writtenInPass = new Map<object, number>();
  private pass = 0;
  private readonly outputValues: Tensor[];
  private readonly inputGradientValues: (Tensor | undefined)[];
  private lastTraining = false;

  constructor(private readonly plan: GraphPlan) {
    this.values = new Array(plan.slotCount).fill(undefined);
    this.gradients = new Array(plan.slotCount).fill(undefined);
    this.ownedGradients = new Array(plan.slotCount).fill(undefined);
    this.contributions = new Int32Array(plan.slotCount);
    this.copiedOutputs = plan.nodes.map(() => undefined);
    this.nodeInputs = plan.nodes.map((node) => new Array(node.inputSlots.length));
    this.snapshots = plan.nodes.map(() => undefined);
    this.outputValues = new Array(plan.outputSlots.length);
    this.inputGradientValues = new Array(plan.inputs.length).fill(undefined);
  }

  /** Runs every node; returns the outputs in the plan's order (an array reused by the next call). */
  forward(inputs: readonly Tensor[], training: boolean): readonly Tensor[] {
    const { plan, values } = this;
    for (let index = 0; index < inputs.length; index++) values[index] = inputs[index];
    const options = training ? trainingMode : inferenceMode;
    this.lastTraining = training;
    for (let index = 0; index < plan.nodes.length; index++) {
      const node = plan.nodes[index];
      const laterCall = node.call < node.calls - 1;
      if (laterCall) this.snapshots[index] = captureLayer(node.layer, this.snapshots[index]);
      const output = this.runForward(node, index, options);
      if (laterCall) {
        const copy = copyOf(this.copiedOutputs[index], output);
        this.copiedOutputs[index] = copy;
        values[node.outputSlot] = copy;
      } else {
        values[node.outputSlot] = output;
      }
    }
    for (let index = 0; index < plan.outputSlots.length; index++)
      this.outputValues[index] = values[plan.outputSlots[index]]!;
    return this.outputValues;
  }

  /**
   * Back-propagates one gradient per output (in the plan's order) through every node in reverse,
   * writing parameter gradients (summed over a shared layer's calls). With `inputGradients`,
   * returns the gradient with respect to each model input; otherwise layers that read only model
   * inputs skip that product and the result holds `undefined`s.
   */
  backward(
    outputGradients: readonly Tensor[],
    options: { readonly inputGradients?: boolean } = withoutInputGradients,
  ): readonly (Tensor | undefined)[] {
    const { plan } = this;
    this.pass++;
    const wantInputs = options.inputGradients === true;
    this.contributions.fill(0);
    this.gradients.fill(undefined);
    for (let index = 0; index < plan.outputSlots.length; index++)
      this.accumulate(plan.outputSlots[index], outputGradients[index], true);
    const inputCount = plan.inputs.length;
    for (let index = plan.nodes.length - 1; index >= 0; index--) {
      const node = plan.nodes[index];
      const gradient = this.gradients[node.outputSlot]!;
      let needed = wantInputs;
      for (let position = 0; position < node.inputSlots.length; position++)
        if (node.inputSlots[position] >= inputCount) needed = true;
      const shared = node.calls > 1;
      const parameters = node.layer.parameters();
      const saved = this.saveWrittenGradients(parameters);
      const result = shared
        ? this.backwardSharedCall(node, index, gradient, needed)
        : this.runBackward(node, gradient, needed);
      this.addSavedGradients(parameters, saved);
      for (let position = 0; position < node.inputSlots.length; position++) {
        const slot = node.inputSlots[position];
        if (slot < inputCount && !wantInputs) continue;
        this.accumulate(slot, node.multiInput ? (result as readonly Tensor[])[position] : (result as Tensor), !shared);
      }
    }
    for (let index = 0; index < inputCount; index++)
      this.inputGradientValues[index] = wantInputs ? this.gradients[index] : undefined;
    return this.inputGradientValues;
  }

  private runForward(node: PlanNode, index: number, options: { readonly training: boolean }): Tensor {
    if (node.multiInput) {
      const inputs = this.nodeInputs[index];
      for (let position = 0; position < node.inputSlots.length; position++)
        inputs[position] = this.values[node.inputSlots[position]]!;
      return (node.layer as MultiInputModelLayer).forward(inputs, options);
    }
    return (node.layer as ModelLayer).forward(this.values[node.inputSlots[0]]!, options);
  }

  private runBackward(node: PlanNode, gradient: Tensor, needed: boolean): Tensor | readonly Tensor[] {
    const options = needed ? withInputGradient : skipInputGradient;
    return node.multiInput
      ? (node.layer as MultiInputModelLayer).backward(gradient, options)
      : (node.layer as ModelLayer).backward(gradient, options);
  }

  /** Backward of one call of a shared layer: recompute its forward unless it is the last call (the caller accumulates `grad`). */
  private backwardSharedCall(
    node: PlanNode,
    index: number,
    gradient: Tensor,
    needed: boolean,
  ): Tensor | readonly Tensor[] {
    const { layer } = node;
    const recompute = node.call < node.calls - 1;
    if (recompute) {
      this.currentState.set(layer, captureLayer(layer, this.currentState.get(layer)));
      restoreLayer(layer, this.snapshots[index]!);
      this.runForward(node, index, this.lastTraining ? trainingMode : inferenceMode);
    }
    const result = this.runBackward(node, gradient, needed);
    if (recompute) restoreLayer(layer, this.currentState.get(layer)!);
    return result;
  }

  /** Copies the `grad` of every parameter already written in this pass (a shared one) aside; returns whether any was. */
  private saveWrittenGradients(parameters: readonly Parameter[]): boolean {
    let any = false;
    for (let position = 0; position < parameters.length; position++) {
      const parameter = parameters[position];
      if (this.writtenInPass.get(parameter) !== this.pass) continue;
      let saved = this.savedGradients.get(parameter);
      if (saved === undefined) {
        saved = parameter.grad.slice();
        this.savedGradients.set(parameter, saved);
      } else saved.set(parameter.grad);
      any = true;
    }
    return any;
  }

  /** Adds the saved gradients back (so `grad` sums every use) and marks every parameter as written in this pass. */
  private addSavedGradients(parameters: readonly Parameter[], anySaved: boolean): void {
    for (let position = 0; position < parameters.length; position++) {
      const parameter = parameters[position];
      if (anySaved && this.writtenInPass.get(parameter) === this.pass) {
        const grad = parameter.grad;
        const previous = this.savedGradients.get(parameter)!;
        for (let element = 0; element < grad.length; element++) grad[element] += previous[element];
      }
      this.writtenInPass.set(parameter, this.pass);
    }
  }

  /** Adds one gradient into a slot: borrowed when the slot has one use and the tensor stays valid, summed into an owned buffer otherwise. */
  private accumulate(slot: number, gradient: Tensor, borrow: boolean): void {
    const count = this.contributions[slot]++;
    if (count === 0 && borrow && this.plan.uses[slot] === 1) {
      this.gradients[slot] = gradient;
      return;
    }
    if (count === 0) {
      const owned = copyOf(this.ownedGradients[slot], gradient);
      this.ownedGradients[slot] = owned;
      this.gradients[slot] = owned;
      return;
    }
    addInto(this.gradients[slot]!, gradient);
  }
}

const trainingMode = { training: true } as const;
const withoutInputGradients = { inputGradients: false } as const;
const inferenceMode = { training: false } as const;
