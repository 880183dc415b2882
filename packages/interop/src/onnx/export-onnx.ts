import type { JsonObject, LayerConfig } from '@annet/layer-api';
import {
  annetVersion,
  isMultiInput,
  Model,
  Sequential,
  type GraphLayer,
  type ModelConfig,
  type ModelLayer,
} from '@annet/model';
import { AnnetError } from '@annet/tensor';
import { onnxConverters } from './converters.js';
import type { LayerConverter } from './layer-conversion.js';
import { OnnxGraph } from './onnx-graph.js';
import { encodeModelProto, type OnnxElementType, type OnnxValueInfo } from './onnx-proto.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The default-domain opset, 13 to 21 (default 17). LayerNormalization needs 17, Gelu 20; below, they are decomposed. */
  readonly opset?: number;
  /** A Sequential's sample shape (no batch axis) when the model does not know it (no `inputShape` option and no forward pass yet). */
  readonly inputShape?: readonly number[];
  /** A Sequential's input and output names (default `input` and `output`); a graph model's come from its config. */
  readonly inputName?: string;
  readonly outputName?: string;
  /**
   * The float type of the file's weights, inputs and outputs: `float32` (default, what engines
   * serve; a float64 model's weights are rounded) or `float64` (ONNX Runtime's CPU provider has no
   * double Conv or pooling kernels, so keep it for models without them).
   */
  readonly floatType?: 'float32' | 'float64';
  /** `className` → conversion; default {@link onnxConverters}. Spread it to add your own layers. */
  readonly converters?: Readonly<Record<string, LayerConverter>>;
}

/** The ONNX IR version that goes with each opset (onnx/docs/Versioning.md). */
function irVersionFor(opset: number): number {
  return opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

interface GraphInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
}
interface GraphCall {
  readonly layer: string;
  readonly inputs: readonly string[];
}

/** A Sequential or a graph Model as inputs, layer calls and outputs, the way a graph config lists them. */
function callsOf(
  model: Sequential | Model,
  options: ExportOnnxOptions,
): {
  inputs: GraphInput[];
  layers: LayerConfig[];
  nodes: GraphCall[];
  outputs: { name: string; tensor: string }[];
  objects: Map<string, ModelLayer | GraphLayer>;
} {
  const objects = new Map<string, ModelLayer | GraphLayer>();
  for (const layer of model.layers as readonly (ModelLayer | GraphLayer)[]) objects.set(layer.name, layer);
  if (model instanceof Model) {
    const config: ModelConfig = model.getConfig();
    return {
      inputs: config.inputs.slice(),
      layers: config.layers.slice(),
      nodes: config.nodes.slice(),
      outputs: config.outputs.slice(),
      objects,
    };
  }
  const sampleShape = options.inputShape ?? model.inputShape;
  if (sampleShape === null) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'exportOnnx',
      `Sequential "${model.name}" does not know its input shape; pass exportOnnx(model, { inputShape: [...] }) or build it with { inputShape }`,
    );
  }
  const config = model.getConfig();
  const inputName = options.inputName ?? 'input';
  const first = config.layers[0];
  const nodes = config.layers.map((layer, index) => ({
    layer: layer.name,
    inputs: [index === 0 ? inputName : config.layers[index - 1].name],
  }));
  return {
    inputs: [
      {
        name: inputName,
        shape: sampleShape.slice(),
        dtype: first.className === 'Embedding' ? 'int32' : ((first.dtype as string | undefined) ?? 'float32'),
      },
    ],
    layers: config.layers.slice(),
    nodes,
    outputs: [{ name: options.outputName ?? 'output', tensor: config.layers.at(-1)!.name }],
    objects,
  };
}

/**
 * The model as an ONNX `ModelProto` for inference, as bytes: what ONNX Runtime (Node, web,
 * Python, C++), `onnx.load` and Netron read. Every layer becomes ONNX ops (Dense → Gemm, Conv2D →
 * Conv, BatchNorm → BatchNormalization with its running statistics, Dropout → nothing, …), every
 * parameter an initializer named like the annet parameter (`dense_1.weights`), and each input and
 * output keeps its name with a symbolic `batch` first dimension. Layers without a conversion are
 * listed, all of them, in one `UNSUPPORTED` error before anything is built.
 *
 * @example
 * const bytes = exportOnnx(model, { opset: 17 });
 * // Node: const session = await ort.InferenceSession.create(bytes);
 * //       const { output } = await session.run({ input: new ort.Tensor('float32', pixels, [1, 784]) });
 */
export function exportOnnx(model: Sequential | Model, options: ExportOnnxOptions = {}): Uint8Array {
  const operation = 'exportOnnx';
  if (!(model instanceof Sequential) && !(model instanceof Model))
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a Sequential or a Model of @annet/model, got ${Object.prototype.toString.call(model)}`,
    );
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 13 || opset > 21)
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `opset ${opset} is not supported; pass an opset from 13 to 21 (default 17)`,
    );
  const converters = options.converters ?? onnxConverters;
  const { inputs, layers, nodes, outputs, objects } = callsOf(model, options);
  const unexportable = layers.filter((layer) => !Object.hasOwn(converters, layer.className));
  if (unexportable.length > 0) {
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `model "${model.name}" has layers without an ONNX conversion: ${unexportable.map((layer) => `${layer.name} (${layer.className})`).join(', ')}; exportable layer classes: ${Object.keys(converters).join(', ')} (pass { converters: { ...onnxConverters, MyLayer: convert } } for your own)`,
    );
  }
  const floatType = options.floatType ?? 'float32';
  if (floatType !== 'float32' && floatType !== 'float64')
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `floatType must be 'float32' or 'float64', got ${JSON.stringify(floatType)}`,
    );
  const graph = new OnnxGraph(opset, floatType);
  const tensors = new Map<string, { name: string; shape: readonly number[] }>();
  const inputInfos: OnnxValueInfo[] = inputs.map((input) => {
    tensors.set(input.name, { name: graph.reserve(input.name), shape: [-1, ...input.shape] });
    return { name: input.name, type: inputType(input, floatType, operation), dims: ['batch', ...input.shape] };
  });
  for (const output of outputs)
    if (graph.reserve(output.name) !== output.name)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `output name "${output.name}" is also an input name; rename one`,
      );
  const configs = new Map(layers.map((layer) => [layer.name, layer as JsonObject]));
  const calls = new Map<string, number>();
  for (const node of nodes) {
    const call = calls.get(node.layer) ?? 0;
    calls.set(node.layer, call + 1);
    const resultName = call === 0 ? node.layer : `${node.layer}@${call}`;
    const layer = objects.get(node.layer)!;
    const config = configs.get(node.layer)!;
    const sources = node.inputs.map((name) => tensors.get(name)!);
    const inputShapes = sources.map((source) => source.shape);
    const shape = isMultiInput(layer) ? layer.outputShape(inputShapes) : layer.outputShape(inputShapes[0]);
    const name = converters[config.className as string](
      { layer, config, inputs: sources.map((source) => source.name), inputShapes, outputName: resultName },
      graph,
    );
    tensors.set(resultName, { name, shape });
  }
  const outputInfos: OnnxValueInfo[] = outputs.map((output) => {
    const result = tensors.get(output.tensor)!;
    graph.nodeWithReservedOutput('Identity', [result.name], output.name);
    return { name: output.name, type: floatType, dims: ['batch', ...result.shape.slice(1)] };
  });
  return encodeModelProto({
    irVersion: irVersionFor(opset),
    opset,
    producerVersion: annetVersion,
    graphName: model.name,
    nodes: graph.nodes,
    initializers: graph.initializers,
    inputs: inputInfos,
    outputs: outputInfos,
    metadata: { 'annet.architecture': JSON.stringify(model.getConfig()) },
  });
}

/** An input's ONNX type: int32 ids stay int32; float inputs take the file's float type. */
function inputType(input: GraphInput, floatType: 'float32' | 'float64', operation: string): OnnxElementType {
  if (input.dtype === 'int32') return 'int32';
  if (input.dtype === 'float32' || input.dtype === 'float64') return floatType;
  throw new AnnetError(
    'UNSUPPORTED',
    operation,
    `input "${input.name}" has dtype ${input.dtype}; ONNX export takes float32, float64 or int32 inputs`,
  );
}
