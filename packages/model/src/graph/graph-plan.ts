import { AnnetError } from '@annet/tensor';
import { assignUniqueNames } from '../sequential/layer-naming.js';
import { isMultiInput, type GraphLayer } from './graph-layer.js';
import type { SymbolicTensor } from './symbolic-tensor.js';

/**
 * One layer call of a built graph, with its tensors as slot numbers: slots `0..inputs-1` hold the
 * model inputs, then one slot per node output in execution order.
 *
 * @example
 * plan.nodes[0]; // { layer: dense_1, multiInput: false, inputSlots: [0], outputSlot: 2, call: 0, calls: 1 }
 */
export interface PlanNode {
  readonly layer: GraphLayer;
  readonly multiInput: boolean;
  readonly inputSlots: readonly number[];
  readonly outputSlot: number;
  /** Which call of its layer this is (0 for the first), in execution order. */
  readonly call: number;
  /** How many times the graph calls this layer (more than 1 for a shared layer). */
  readonly calls: number;
  /** The symbolic output (shape and dtype as inferred). */
  readonly output: SymbolicTensor;
}

/**
 * A validated graph in execution order: what the executor runs and what config and summary read.
 *
 * @example
 * const plan = buildPlan([image], [['digit', logits]], 'Model "classifier"');
 */
export interface GraphPlan {
  readonly inputs: readonly SymbolicTensor[];
  readonly inputNames: readonly string[];
  readonly nodes: readonly PlanNode[];
  /** Every distinct layer, in the order of its first call. */
  readonly layers: readonly GraphLayer[];
  readonly outputNames: readonly string[];
  readonly outputSlots: readonly number[];
  readonly slotCount: number;
  /** Per slot: how many gradients flow into it (each use as a node input, and each use as a model output). */
  readonly uses: readonly number[];
  /** Per slot: how configs and summaries refer to it (`image`, `dense_1`, `dense_1@1` for a second call). */
  readonly slotNames: readonly string[];
}

/**
 * Orders the layer calls that `outputs` depend on (a depth-first post-order from the outputs,
 * deterministic), names auto-named layers uniquely (`dense_1`), and refuses what cannot be a
 * model: a cycle, an output that depends on no input or on an input not listed, an input no
 * output depends on, and reused input, layer, output or array names.
 *
 * @example
 * const plan = buildPlan([image, extra], [['digit', logits]], 'Model "two_inputs"');
 */
export function buildPlan(
  inputs: readonly SymbolicTensor[],
  outputs: readonly (readonly [string | null, SymbolicTensor])[],
  operation: string,
): GraphPlan {
  const order = executionOrder(
    outputs.map(([, tensor]) => tensor),
    operation,
  );
  const inputNames = inputs.map((tensor) => tensor.inputName!);
  checkInputs(inputs, inputNames, order, outputs, operation);
  const layers: GraphLayer[] = [];
  const callCounts = new Map<GraphLayer, number>();
  for (const tensor of order) {
    if (tensor.node === null) continue;
    const { layer } = tensor.node;
    if (!callCounts.has(layer)) layers.push(layer);
    callCounts.set(layer, (callCounts.get(layer) ?? 0) + 1);
  }
  assignUniqueNames(layers, operation);
  const slots = new Map<SymbolicTensor, number>();
  const slotNames: string[] = [];
  inputs.forEach((tensor, index) => {
    slots.set(tensor, index);
    slotNames.push(inputNames[index]);
  });
  const taken = new Set(inputNames);
  for (const layer of layers) {
    if (taken.has(layer.name))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `the name ${JSON.stringify(layer.name)} is used by an input and a layer; names must be unique within a model`,
      );
    taken.add(layer.name);
  }
  const nodes: PlanNode[] = [];
  const callsSoFar = new Map<GraphLayer, number>();
  for (const tensor of order) {
    if (tensor.node === null) continue;
    const { layer } = tensor.node;
    const call = callsSoFar.get(layer) ?? 0;
    callsSoFar.set(layer, call + 1);
    const outputSlot = slotNames.length;
    slots.set(tensor, outputSlot);
    slotNames.push(call === 0 ? layer.name : `${layer.name}@${call}`);
    nodes.push({
      layer,
      multiInput: isMultiInput(layer),
      inputSlots: tensor.node.inputs.map((entry) => slots.get(entry)!),
      outputSlot,
      call,
      calls: callCounts.get(layer)!,
      output: tensor,
    });
  }
  const uses = new Array<number>(slotNames.length).fill(0);
  for (const node of nodes) for (const slot of node.inputSlots) uses[slot]++;
  const outputNames: string[] = [];
  const outputSlots: number[] = [];
  for (const [name, tensor] of outputs) {
    const slot = slots.get(tensor)!;
    const outputName = name ?? slotNames[slot];
    if (outputNames.includes(outputName))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `two outputs are named ${JSON.stringify(outputName)}; output names key losses, metrics and predictions, so they must be unique`,
      );
    outputNames.push(outputName);
    outputSlots.push(slot);
    uses[slot]++;
  }
  return { inputs, inputNames, nodes, layers, outputNames, outputSlots, slotCount: slotNames.length, uses, slotNames };
}

/** Post-order of every tensor the outputs depend on; throws on a cycle (possible only in a hand-made graph or config). */
function executionOrder(outputs: readonly SymbolicTensor[], operation: string): SymbolicTensor[] {
  const order: SymbolicTensor[] = [];
  const state = new Map<SymbolicTensor, 'visiting' | 'done'>();
  const path: SymbolicTensor[] = [];
  const visit = (tensor: SymbolicTensor): void => {
    const seen = state.get(tensor);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = path.slice(path.indexOf(tensor)).map((entry) => entry.node?.layer.name ?? entry.inputName);
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `the graph has a cycle: ${[...cycle, cycle[0]].join(' → ')}; a model must be acyclic`,
      );
    }
    state.set(tensor, 'visiting');
    path.push(tensor);
    for (const source of tensor.node?.inputs ?? []) visit(source);
    path.pop();
    state.set(tensor, 'done');
    order.push(tensor);
  };
  for (const output of outputs) visit(output);
  return order;
}

function checkInputs(
  inputs: readonly SymbolicTensor[],
  names: readonly string[],
  order: readonly SymbolicTensor[],
  outputs: readonly (readonly [string | null, SymbolicTensor])[],
  operation: string,
): void {
  if (inputs.length === 0) throw new AnnetError('INVALID_ARGUMENT', operation, 'a model needs at least one input');
  if (outputs.length === 0) throw new AnnetError('INVALID_ARGUMENT', operation, 'a model needs at least one output');
  for (const [index, tensor] of inputs.entries()) {
    if (tensor.node !== null || tensor.inputName === null)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `inputs[${index}] is ${tensor.describe()}, not a model input; pass the tensors made by input({ ... })`,
      );
    if (names.indexOf(names[index]) !== index)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `two inputs are named ${JSON.stringify(names[index])}; give each input({ name }) a unique name`,
      );
  }
  const reached = new Set(order.filter((tensor) => tensor.node === null));
  for (const tensor of reached) {
    if (!inputs.includes(tensor))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `an output depends on ${tensor.describe()}, which is not among the model's inputs; add it to inputs`,
      );
  }
  for (const [index, tensor] of inputs.entries()) {
    if (!reached.has(tensor))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `input ${JSON.stringify(names[index])} is disconnected: no output depends on it; remove it or connect it`,
      );
  }
  for (const [name, tensor] of outputs) {
    if (!dependsOnInput(tensor))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `output ${name === null ? tensor.describe() : JSON.stringify(name)} does not depend on any input`,
      );
  }
}

function dependsOnInput(tensor: SymbolicTensor): boolean {
  const stack = [tensor];
  const seen = new Set<SymbolicTensor>();
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.node === null) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...current.node.inputs);
  }
  return false;
}
