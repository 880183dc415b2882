import { AnnetError } from '@annet/tensor';
import { weightInitializer, weightOf, type LayerCall, type LayerConverter } from './layer-conversion.js';

/** The static number of steps of a `[batch, time, …]` input: attention masks and position tables are cut to it. */
function timeSteps(call: LayerCall): number {
  const time = call.inputShapes[0][1];
  if (!(time > 0))
    throw new AnnetError(
      'UNSUPPORTED',
      'exportOnnx',
      `layer "${call.layer.name}" needs a fixed number of time steps to export, got input shape [batch,${call.inputShapes[0].slice(1).join(',')}]`,
    );
  return time;
}

/**
 * MultiHeadAttention (self-attention) decomposed into MatMul and Softmax, h heads of size d:
 * [Q|K|V] = X·W_qkv + b_qkv, reshaped `[batch, T, 3, h, d]` and transposed to `[3, batch, h, T, d]`;
 * S = Q·Kᵀ/√d (+ −∞ above the diagonal when causal), P = Softmax(S), O = P·V, back to
 * `[batch, T, h·d]`, Y = O·W_o + b_o. Attention dropout is the identity at inference.
 */
export const convertMultiHeadAttention: LayerConverter = (call, graph) => {
  const heads = call.config.numHeads as number;
  const keySize = call.config.keySize as number;
  const time = timeSteps(call);
  const name = (suffix: string) => `${call.outputName}/${suffix}`;
  const useBias = call.config.useBias !== false;
  let qkv = graph.node(
    'MatMul',
    [call.inputs[0], weightInitializer(call, 'queryKeyValueWeights', graph)],
    {},
    name('qkv'),
  );
  if (useBias)
    qkv = graph.node('Add', [qkv, weightInitializer(call, 'queryKeyValueBiases', graph)], {}, name('qkv_biased'));
  const split = graph.node(
    'Reshape',
    [qkv, graph.int64s(name('qkv_shape'), [0, time, 3, heads, keySize])],
    {},
    name('qkv_heads'),
  );
  const stacked = graph.node('Transpose', [split], { perm: [2, 0, 3, 1, 4] }, name('qkv_stacked'));
  const part = (index: number, label: string) =>
    graph.node('Gather', [stacked, graph.int64s(name(`${label}_index`), [index], [])], { axis: 0 }, name(label));
  const [query, key, value] = [part(0, 'query'), part(1, 'key'), part(2, 'value')];
  const keyT = graph.node('Transpose', [key], { perm: [0, 1, 3, 2] }, name('key_transposed'));
  let scores = graph.node(
    'Mul',
    [
      graph.node('MatMul', [query, keyT], {}, name('products')),
      graph.floats(name('scale'), [1 / Math.sqrt(keySize)], []),
    ],
    {},
    name('scores'),
  );
  if (call.config.causal === true) {
    const mask = Array.from({ length: time * time }, (_, index) =>
      index % time > Math.floor(index / time) ? -Infinity : 0,
    );
    scores = graph.node(
      'Add',
      [scores, graph.floats(name('causal_mask'), mask, [time, time])],
      {},
      name('masked_scores'),
    );
  }
  const weights = graph.node('Softmax', [scores], { axis: -1 }, name('weights'));
  const attended = graph.node(
    'Transpose',
    [graph.node('MatMul', [weights, value], {}, name('attended_heads'))],
    { perm: [0, 2, 1, 3] },
    name('attended_time_major'),
  );
  const joined = graph.node(
    'Reshape',
    [attended, graph.int64s(name('joined_shape'), [0, time, heads * keySize])],
    {},
    name('attended'),
  );
  const projected = graph.node(
    'MatMul',
    [joined, weightInitializer(call, 'outputWeights', graph)],
    {},
    useBias ? name('projected') : call.outputName,
  );
  return useBias
    ? graph.node('Add', [projected, weightInitializer(call, 'outputBiases', graph)], {}, call.outputName)
    : projected;
};

/** PositionalEmbedding: y = x + P[0:T] (a Slice of the learned table). */
export const convertPositionalEmbedding: LayerConverter = (call, graph) => {
  const time = timeSteps(call);
  const name = (suffix: string) => `${call.outputName}/${suffix}`;
  const rows = graph.node(
    'Slice',
    [
      weightInitializer(call, 'positions', graph),
      graph.int64s(name('start'), [0]),
      graph.int64s(name('end'), [time]),
      graph.int64s(name('axis'), [0]),
    ],
    {},
    name('rows'),
  );
  return graph.node('Add', [call.inputs[0], rows], {}, call.outputName);
};

/** SinusoidalPositionalEncoding: y = x + PE[0:T], the first T rows of the fixed table as a constant. */
export const convertSinusoidalPositionalEncoding: LayerConverter = (call, graph) => {
  const time = timeSteps(call);
  const size = call.config.embeddingSize as number;
  const table = (call.layer as unknown as { table(): Float64Array }).table();
  return graph.node(
    'Add',
    [call.inputs[0], graph.floats(`${call.outputName}/table`, table.subarray(0, time * size), [time, size])],
    {},
    call.outputName,
  );
};

/** TransposedEmbedding: logits = x·Eᵀ with E the tied embedding's table (one initializer for both uses). */
export const convertTransposedEmbedding: LayerConverter = (call, graph) => {
  const table = weightOf(call, 'embeddings');
  const transposed = graph.node(
    'Transpose',
    [graph.parameter(table.name, table.value, table.shape)],
    { perm: [1, 0] },
    `${call.outputName}/table_transposed`,
  );
  return graph.node('MatMul', [call.inputs[0], transposed], {}, call.outputName);
};
