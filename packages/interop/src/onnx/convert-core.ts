import { AnnetError } from '@annet/tensor';
import { weightInitializer, fusedActivation, type LayerConverter } from './layer-conversion.js';

const linearName = (call: { outputName: string; config: { activation?: unknown } }) =>
  call.config.activation === undefined || call.config.activation === 'linear'
    ? call.outputName
    : `${call.outputName}/linear`;

/** Dense: y = x·W + b with W `[in, out]`; Gemm for a rank-2 input, MatMul + Add otherwise; then its fused activation. */
export const convertDense: LayerConverter = (call, graph) => {
  const weights = weightInitializer(call, 'weights', graph);
  const biases = call.config.useBias === false ? null : weightInitializer(call, 'biases', graph);
  let linear: string;
  if (call.inputShapes[0].length === 2)
    linear = graph.node(
      'Gemm',
      biases === null ? [call.inputs[0], weights] : [call.inputs[0], weights, biases],
      {},
      linearName(call),
    );
  else if (biases === null) linear = graph.node('MatMul', [call.inputs[0], weights], {}, linearName(call));
  else
    linear = graph.node(
      'Add',
      [graph.node('MatMul', [call.inputs[0], weights], {}, `${call.outputName}/matmul`), biases],
      {},
      linearName(call),
    );
  return fusedActivation(call.config.activation, linear, call, graph);
};

/** Embedding: the table's rows at the int32 indices, Gather along axis 0. */
export const convertEmbedding: LayerConverter = (call, graph) => {
  if (call.config.maskZero === true) {
    throw new AnnetError(
      'UNSUPPORTED',
      'exportOnnx',
      `layer "${call.layer.name}" (Embedding with maskZero) masks the steps that follow it; masks have no ONNX form here, so the exported model would run the padded steps: export a model built without maskZero (the weights are the same)`,
    );
  }
  return graph.node(
    'Gather',
    [weightInitializer(call, 'embeddings', graph), call.inputs[0]],
    { axis: 0 },
    call.outputName,
  );
};

/** Flatten: [N, …] → [N, Π…], ONNX Flatten with axis 1. */
export const convertFlatten: LayerConverter = (call, graph) =>
  graph.node('Flatten', call.inputs, { axis: 1 }, call.outputName);

/** Reshape: [N, …] → [N, ...targetShape]; 0 copies the batch dimension, −1 is inferred as in annet. */
export const convertReshape: LayerConverter = (call, graph) => {
  const shape = graph.int64s(`${call.outputName}/shape`, [0, ...(call.config.targetShape as number[])]);
  return graph.node('Reshape', [call.inputs[0], shape], {}, call.outputName);
};

/** Dropout: the identity at inference, so no node at all. */
export const convertDropout: LayerConverter = (call) => call.inputs[0];

/** An activation that is one ONNX op with optional attributes. */
function unary(
  opType: string,
  attributes: (config: Record<string, unknown>) => Record<string, number | { float: number }> = () => ({}),
): LayerConverter {
  return (call, graph) => graph.node(opType, call.inputs, attributes(call.config), call.outputName);
}

export const convertReLU = unary('Relu');
export const convertSigmoid = unary('Sigmoid');
export const convertTanh = unary('Tanh');
export const convertLeakyReLU = unary('LeakyRelu', (config) => ({ alpha: { float: config.negativeSlope as number } }));
export const convertELU = unary('Elu', (config) => ({ alpha: { float: config.alpha as number } }));
/** Softmax over one axis (opset 13 and later give Softmax exactly these single-axis semantics). */
export const convertSoftmax = unary('Softmax', (config) => ({ axis: config.axis as number }));

/**
 * GELU: the Gelu op from opset 20 (`approximate` none or tanh); before, decomposed:
 * exact 0.5·x·(1 + erf(x/√2)), or tanh 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
export const convertGELU: LayerConverter = (call, graph) => {
  const approximate = call.config.approximate === 'tanh' ? 'tanh' : 'none';
  const x = call.inputs[0];
  if (graph.opset >= 20) return graph.node('Gelu', [x], { approximate }, call.outputName);
  const name = (suffix: string) => `${call.outputName}/${suffix}`;
  const constant = (suffix: string, value: number) => graph.floats(name(suffix), [value], []);
  let inner: string;
  if (approximate === 'none') {
    inner = graph.node(
      'Erf',
      [graph.node('Mul', [x, constant('inverse_sqrt2', Math.SQRT1_2)], {}, name('scaled'))],
      {},
      name('erf'),
    );
  } else {
    const cube = graph.node('Mul', [graph.node('Mul', [x, x], {}, name('square')), x], {}, name('cube'));
    const sum = graph.node(
      'Add',
      [x, graph.node('Mul', [cube, constant('coefficient', 0.044715)], {}, name('cubic'))],
      {},
      name('sum'),
    );
    inner = graph.node(
      'Tanh',
      [graph.node('Mul', [sum, constant('sqrt_2_over_pi', Math.sqrt(2 / Math.PI))], {}, name('scaled'))],
      {},
      name('tanh'),
    );
  }
  const onePlus = graph.node('Add', [inner, constant('one', 1)], {}, name('one_plus'));
  const half = graph.node('Mul', [x, constant('half', 0.5)], {}, name('half'));
  return graph.node('Mul', [half, onePlus], {}, call.outputName);
};
