import { weightInitializer, type LayerConverter } from './layer-conversion.js';

/** BatchNorm in inference form: BatchNormalization with the running mean and variance, (x − μ)/√(σ² + ε)·γ + β per channel (axis 1). */
export const convertBatchNorm: LayerConverter = (call, graph) => {
  const inputs = [
    call.inputs[0],
    ...['gamma', 'beta', 'runningMean', 'runningVariance'].map((local) => weightInitializer(call, local, graph)),
  ];
  return graph.node(
    'BatchNormalization',
    inputs,
    { epsilon: { float: call.config.epsilon as number } },
    call.outputName,
  );
};

/**
 * LayerNorm over the trailing `normalizedShape` axes: LayerNormalization from opset 17; before,
 * decomposed as μ = ReduceMean x, d = x − μ, σ² = ReduceMean d², y = d/√(σ² + ε)·γ + β.
 */
export const convertLayerNorm: LayerConverter = (call, graph) => {
  const axisCount = (call.config.normalizedShape as number[]).length;
  const gamma = weightInitializer(call, 'gamma', graph);
  const beta = weightInitializer(call, 'beta', graph);
  const epsilon = call.config.epsilon as number;
  if (graph.opset >= 17)
    return graph.node(
      'LayerNormalization',
      [call.inputs[0], gamma, beta],
      { axis: -axisCount, epsilon: { float: epsilon } },
      call.outputName,
    );
  const name = (suffix: string) => `${call.outputName}/${suffix}`;
  const axes = Array.from({ length: axisCount }, (_, index) => index - axisCount);
  const mean = graph.node('ReduceMean', [call.inputs[0]], { axes, keepdims: 1 }, name('mean'));
  const centered = graph.node('Sub', [call.inputs[0], mean], {}, name('centered'));
  const variance = graph.node(
    'ReduceMean',
    [graph.node('Mul', [centered, centered], {}, name('squared'))],
    { axes, keepdims: 1 },
    name('variance'),
  );
  const deviation = graph.node(
    'Sqrt',
    [graph.node('Add', [variance, graph.floats(name('epsilon'), [epsilon], [])], {}, name('variance_epsilon'))],
    {},
    name('deviation'),
  );
  const normalized = graph.node('Div', [centered, deviation], {}, name('normalized'));
  return graph.node('Add', [graph.node('Mul', [normalized, gamma], {}, name('scaled')), beta], {}, call.outputName);
};
