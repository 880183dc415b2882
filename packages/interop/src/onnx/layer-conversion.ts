import type { JsonObject, Layer, Parameter, StateBuffer, TensorLike } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { OnnxGraph } from './onnx-graph.js';

/** What a converter is given for one layer call. */
export interface LayerCall {
  /** The layer (its parameters and buffers are read by name). */
  readonly layer: Pick<Layer<TensorLike>, 'name' | 'parameters' | 'buffers'>;
  /** `layer.getConfig()`. */
  readonly config: JsonObject;
  /** ONNX names of the call's input tensors. */
  readonly inputs: readonly string[];
  /** Shapes of those inputs, batch axis first as −1. */
  readonly inputShapes: readonly (readonly number[])[];
  /** The name the call's result should carry (the layer's name, or `name@1` for a second call). */
  readonly outputName: string;
}

/**
 * Writes one annet layer call as ONNX nodes into `graph` and returns the name of its result.
 * Converters never change the layer.
 *
 * @example
 * const relu: LayerConverter = (call, graph) => graph.node('Relu', call.inputs, {}, call.outputName);
 */
export type LayerConverter = (call: LayerCall, graph: OnnxGraph) => string;

/** The layer's parameter or buffer `<layer name>.<local>` (or, for a tied weight, any of its arrays named `….<local>`), which must exist. */
export function weightOf(call: LayerCall, local: string): Parameter | StateBuffer {
  const name = `${call.layer.name}.${local}`;
  const arrays = [...call.layer.parameters(), ...call.layer.buffers()];
  const found = arrays.find((entry) => entry.name === name) ?? arrays.find((entry) => entry.name.endsWith(`.${local}`));
  if (found === undefined)
    throw new AnnetError('INVALID_STATE', 'exportOnnx', `layer "${call.layer.name}" has no array "${name}"`);
  return found;
}

/** Adds the layer's array `local` as an initializer named after it and returns that name. */
export function weightInitializer(call: LayerCall, local: string, graph: OnnxGraph): string {
  const weight = weightOf(call, local);
  return graph.parameter(weight.name, weight.value, weight.shape);
}

/** Applies a Dense/Conv2D fused activation (`linear`, `relu`, `sigmoid`, `tanh`) after `input`. */
export function fusedActivation(activation: unknown, input: string, call: LayerCall, graph: OnnxGraph): string {
  if (activation === undefined || activation === 'linear') return input;
  const opType =
    activation === 'relu' ? 'Relu' : activation === 'sigmoid' ? 'Sigmoid' : activation === 'tanh' ? 'Tanh' : null;
  if (opType === null)
    throw new AnnetError(
      'UNSUPPORTED',
      'exportOnnx',
      `layer "${call.layer.name}" has activation ${JSON.stringify(activation)}, which has no ONNX conversion`,
    );
  return graph.node(opType, [input], {}, call.outputName);
}
