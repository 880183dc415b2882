import type { LayerConverter } from './layer-conversion.js';

/** A variadic ONNX op (Sum, Mean, Max) over every input. */
function variadic(opType: string): LayerConverter {
  return (call, graph) => graph.node(opType, call.inputs, {}, call.outputName);
}

/** Add → Sum, Average → Mean, Maximum → Max (all variadic, with broadcasting as annet's merges). */
export const convertAdd = variadic('Sum');
export const convertAverage = variadic('Mean');
export const convertMaximum = variadic('Max');

/** Subtract: a − b. */
export const convertSubtract: LayerConverter = (call, graph) => graph.node('Sub', call.inputs, {}, call.outputName);

/** Multiply: a chain of binary Mul, left to right. */
export const convertMultiply: LayerConverter = (call, graph) => {
  let product = call.inputs[0];
  for (let index = 1; index < call.inputs.length; index++)
    product = graph.node(
      'Mul',
      [product, call.inputs[index]],
      {},
      index === call.inputs.length - 1 ? call.outputName : `${call.outputName}/product_${index}`,
    );
  return product;
};

/** Concatenate along the layer's axis (annet's axes count the batch axis, as ONNX's do). */
export const convertConcatenate: LayerConverter = (call, graph) =>
  graph.node('Concat', call.inputs, { axis: call.config.axis as number }, call.outputName);
