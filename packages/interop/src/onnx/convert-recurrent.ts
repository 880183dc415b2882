import type { FloatArray, JsonObject } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import { weightOf, type LayerCall, type LayerConverter } from './layer-conversion.js';
import type { OnnxGraph } from './onnx-graph.js';
import type { OnnxAttribute } from './onnx-proto.js';

/**
 * ONNX's recurrent ops by annet class, with the gate order conversion: annet (like PyTorch) stacks
 * LSTM gates i, f, g, o and GRU gates r, z, n; ONNX wants i, o, f, c and z, r, h. `order[k]` is
 * the annet gate block that goes to ONNX position k.
 */
const cells: Readonly<Record<string, { opType: string; gates: number; order: readonly number[] }>> = {
  SimpleRNN: { opType: 'RNN', gates: 1, order: [0] },
  LSTM: { opType: 'LSTM', gates: 4, order: [0, 3, 1, 2] },
  GRU: { opType: 'GRU', gates: 3, order: [1, 0, 2] },
};

/** Rows of `values` ([gates·hidden, columns]) with the gate blocks put in ONNX order. */
function reorderGates(values: FloatArray, hidden: number, columns: number, order: readonly number[]): number[] {
  const out: number[] = [];
  for (const block of order)
    for (let index = block * hidden * columns; index < (block + 1) * hidden * columns; index++) out.push(values[index]);
  return out;
}

/** One direction's W, R and B (B = [W_b, R_b]) in ONNX order, from the layer's `weightIH<suffix>` and friends. */
function directionWeights(
  call: LayerCall,
  suffix: string,
  cell: { gates: number; order: readonly number[] },
  inputSize: number,
  hidden: number,
) {
  const get = (local: string) => weightOf(call, `${local}${suffix}`).value;
  return {
    w: reorderGates(get('weightIH'), hidden, inputSize, cell.order),
    r: reorderGates(get('weightHH'), hidden, hidden, cell.order),
    b: [...reorderGates(get('biasIH'), hidden, 1, cell.order), ...reorderGates(get('biasHH'), hidden, 1, cell.order)],
  };
}

/**
 * A recurrent run as one ONNX RNN/LSTM/GRU node over `[time, batch, input]` (the input is
 * transposed from annet's batch-first layout), zero initial states; GRU with
 * `linear_before_reset = 1` (PyTorch's and annet's n = tanh(W_n x + b_in + r ⊙ (U_n h + b_hn))).
 * Returns Y `[time, directions, batch, hidden]` and Y_h `[directions, batch, hidden]`.
 */
function recurrentNode(
  call: LayerCall,
  graph: OnnxGraph,
  inner: JsonObject,
  directions: 'forward' | 'reverse' | 'bidirectional',
): { sequence: string; last: string; hidden: number } {
  const className = inner.className as string;
  const cell = cells[className];
  const inputSize = inner.inputSize as number;
  const hidden = inner.hiddenSize as number;
  const suffixes = directions === 'bidirectional' ? ['', '_reverse'] : [directions === 'reverse' ? '_reverse' : ''];
  const parts = suffixes.map((suffix) => directionWeights(call, suffix, cell, inputSize, hidden));
  const count = parts.length;
  const name = (suffix: string) => `${call.outputName}/${suffix}`;
  const w = graph.floats(
    name('W'),
    parts.flatMap((part) => part.w),
    [count, cell.gates * hidden, inputSize],
  );
  const r = graph.floats(
    name('R'),
    parts.flatMap((part) => part.r),
    [count, cell.gates * hidden, hidden],
  );
  const b = graph.floats(
    name('B'),
    parts.flatMap((part) => part.b),
    [count, 2 * cell.gates * hidden],
  );
  const timeMajor = graph.node('Transpose', [call.inputs[0]], { perm: [1, 0, 2] }, name('time_major'));
  const attributes: Record<string, OnnxAttribute> = { hidden_size: hidden, direction: directions };
  if (className === 'GRU') attributes.linear_before_reset = 1;
  if (className === 'SimpleRNN')
    attributes.activations = {
      strings: new Array<string>(count).fill((inner.activation ?? 'tanh') === 'relu' ? 'Relu' : 'Tanh'),
    };
  const sequence = graph.reserve(name('Y'));
  const last = graph.reserve(name('Y_h'));
  const outputs = className === 'LSTM' ? [sequence, last, graph.reserve(name('Y_c'))] : [sequence, last];
  graph.nodes.push({ opType: cell.opType, inputs: [timeMajor, w, r, b], outputs, name: name(cell.opType), attributes });
  return { sequence, last, hidden };
}

/** Y `[time, directions, batch, hidden]` → `[batch, time, directions·hidden]` (directions side by side: [y→, y←]). */
function batchFirstSequence(
  graph: OnnxGraph,
  sequence: string,
  call: LayerCall,
  hidden: number,
  directions: number,
  outputName: string,
): string {
  const transposed = graph.node('Transpose', [sequence], { perm: [2, 0, 1, 3] }, `${call.outputName}/batch_first`);
  return graph.node(
    'Reshape',
    [transposed, graph.int64s(`${call.outputName}/sequence_shape`, [0, 0, directions * hidden])],
    {},
    outputName,
  );
}

/** Y_h `[directions, batch, hidden]` → `[batch, directions·hidden]`. */
function batchFirstLast(
  graph: OnnxGraph,
  last: string,
  call: LayerCall,
  hidden: number,
  directions: number,
  outputName: string,
): string {
  const transposed = graph.node('Transpose', [last], { perm: [1, 0, 2] }, `${call.outputName}/last_batch_first`);
  return graph.node(
    'Reshape',
    [transposed, graph.int64s(`${call.outputName}/last_shape`, [0, directions * hidden])],
    {},
    outputName,
  );
}

/** SimpleRNN, LSTM, GRU: one ONNX RNN/LSTM/GRU node (direction from `reverse`), its sequence or last state batch-first. */
export const convertRecurrent: LayerConverter = (call, graph) => {
  const { sequence, last, hidden } = recurrentNode(
    call,
    graph,
    call.config,
    call.config.reverse === true ? 'reverse' : 'forward',
  );
  return call.config.returnSequences === true
    ? batchFirstSequence(graph, sequence, call, hidden, 1, call.outputName)
    : batchFirstLast(graph, last, call, hidden, 1, call.outputName);
};

/** Bidirectional: one bidirectional ONNX node; `concat` is the two directions side by side, `sum`/`average`/`multiply` combine them. */
export const convertBidirectional: LayerConverter = (call, graph) => {
  const inner = call.config.layer as JsonObject;
  const merge = (call.config.merge as string | undefined) ?? 'concat';
  if (!Object.hasOwn(cells, inner.className as string))
    throw new AnnetError(
      'UNSUPPORTED',
      'exportOnnx',
      `layer "${call.layer.name}" wraps a ${String(inner.className)}, which has no ONNX recurrent op`,
    );
  const { sequence, last, hidden } = recurrentNode(call, graph, inner, 'bidirectional');
  const sequences = inner.returnSequences === true;
  if (merge === 'concat')
    return sequences
      ? batchFirstSequence(graph, sequence, call, hidden, 2, call.outputName)
      : batchFirstLast(graph, last, call, hidden, 2, call.outputName);
  const both = sequences
    ? batchFirstSequence(graph, sequence, call, hidden, 2, `${call.outputName}/both`)
    : batchFirstLast(graph, last, call, hidden, 2, `${call.outputName}/both`);
  // Split the last axis into the two directions, then combine them.
  const axis = sequences ? 2 : 1;
  const half = (index: number) =>
    graph.node(
      'Slice',
      [
        both,
        graph.int64s(`${call.outputName}/start_${index}`, [index * hidden]),
        graph.int64s(`${call.outputName}/end_${index}`, [(index + 1) * hidden]),
        graph.int64s(`${call.outputName}/axis_${index}`, [axis]),
      ],
      {},
      `${call.outputName}/direction_${index}`,
    );
  const [forward, backward] = [half(0), half(1)];
  if (merge === 'sum') return graph.node('Add', [forward, backward], {}, call.outputName);
  if (merge === 'multiply') return graph.node('Mul', [forward, backward], {}, call.outputName);
  if (merge === 'average')
    return graph.node(
      'Mul',
      [
        graph.node('Add', [forward, backward], {}, `${call.outputName}/sum`),
        graph.floats(`${call.outputName}/half`, [0.5], []),
      ],
      {},
      call.outputName,
    );
  throw new AnnetError(
    'UNSUPPORTED',
    'exportOnnx',
    `layer "${call.layer.name}" merges its directions by ${JSON.stringify(merge)}, which has no ONNX conversion`,
  );
};
