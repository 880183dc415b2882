import { ProtoWriter } from '../protobuf/proto-writer.js';

/**
 * Field numbers of the ONNX messages this package writes (onnx/onnx.proto, proto2), and the
 * element types it uses (`TensorProto.DataType`). Facts from the specification, named as there.
 */
export const onnxFields = {
  model: {
    irVersion: 1,
    producerName: 2,
    producerVersion: 3,
    docString: 6,
    graph: 7,
    opsetImport: 8,
    metadataProps: 14,
  },
  operatorSet: { domain: 1, version: 2 },
  graph: { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 },
  attribute: { name: 1, f: 2, i: 3, s: 4, floats: 7, ints: 8, strings: 9, type: 20 },
  tensor: { dims: 1, dataType: 2, name: 8, rawData: 9 },
  valueInfo: { name: 1, type: 2 },
  type: { tensorType: 1 },
  tensorType: { elemType: 1, shape: 2 },
  shape: { dim: 1 },
  dimension: { dimValue: 1, dimParam: 2 },
  stringEntry: { key: 1, value: 2 },
} as const;

/** `AttributeProto.AttributeType` values. */
export const attributeType = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 } as const;

/** `TensorProto.DataType` values of the element types annet tensors have. */
export const onnxDataType = { float32: 1, int32: 6, int64: 7, float64: 11 } as const;

/** An element type this package writes. */
export type OnnxElementType = keyof typeof onnxDataType;

/** One node attribute: a number is an int unless `float` is set; arrays are `ints` (or `floats`). */
export type OnnxAttribute =
  | number
  | string
  | readonly number[]
  | { readonly float: number }
  | { readonly floats: readonly number[] }
  | { readonly strings: readonly string[] };

/** A node of the graph being built. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A constant of the graph: its element type, dims and raw little-endian bytes. */
export interface OnnxInitializer {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly dims: readonly number[];
  readonly raw: Uint8Array;
}

/** A graph input or output: a name, an element type and dims (a string is a symbolic dimension, such as `batch`). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly dims: readonly (number | string)[];
}

/** Everything {@link encodeModelProto} writes. */
export interface OnnxModelParts {
  readonly irVersion: number;
  readonly opset: number;
  readonly producerVersion: string;
  readonly graphName: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

function isIntList(value: OnnxAttribute): value is readonly number[] {
  return Array.isArray(value);
}

function attributeMessage(name: string, value: OnnxAttribute): ProtoWriter {
  const { attribute } = onnxFields;
  const message = new ProtoWriter().string(attribute.name, name);
  if (typeof value === 'number') return message.int(attribute.i, value).int(attribute.type, attributeType.int);
  if (typeof value === 'string') return message.string(attribute.s, value).int(attribute.type, attributeType.string);
  if (isIntList(value)) return message.packedInts(attribute.ints, value).int(attribute.type, attributeType.ints);
  if ('float' in value) return message.float(attribute.f, value.float).int(attribute.type, attributeType.float);
  if ('strings' in value) {
    for (const entry of value.strings) message.string(attribute.strings, entry);
    return message.int(attribute.type, attributeType.strings);
  }
  for (const entry of value.floats) message.float(attribute.floats, entry); // repeated, unpacked (proto2)
  return message.int(attribute.type, attributeType.floats);
}

function nodeMessage(node: OnnxNode): ProtoWriter {
  const fields = onnxFields.node;
  const message = new ProtoWriter();
  for (const input of node.inputs) message.string(fields.input, input);
  for (const output of node.outputs) message.string(fields.output, output);
  message.string(fields.name, node.name).string(fields.opType, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {}))
    message.message(fields.attribute, attributeMessage(name, value));
  return message;
}

function tensorMessage(initializer: OnnxInitializer): ProtoWriter {
  const fields = onnxFields.tensor;
  return new ProtoWriter()
    .packedInts(fields.dims, initializer.dims)
    .int(fields.dataType, onnxDataType[initializer.type])
    .string(fields.name, initializer.name)
    .bytes(fields.rawData, initializer.raw);
}

function valueInfoMessage(value: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of value.dims) {
    const dimension = new ProtoWriter();
    if (typeof dim === 'string') dimension.string(onnxFields.dimension.dimParam, dim);
    else dimension.int(onnxFields.dimension.dimValue, dim);
    shape.message(onnxFields.shape.dim, dimension);
  }
  const tensorType = new ProtoWriter()
    .int(onnxFields.tensorType.elemType, onnxDataType[value.type])
    .message(onnxFields.tensorType.shape, shape);
  const type = new ProtoWriter().message(onnxFields.type.tensorType, tensorType);
  return new ProtoWriter().string(onnxFields.valueInfo.name, value.name).message(onnxFields.valueInfo.type, type);
}

/**
 * Encodes a `ModelProto`: IR version, producer, one default-domain opset import and the graph
 * (nodes, initializers as raw data, inputs and outputs with their shapes), plus metadata.
 *
 * @example
 * const graph = new OnnxGraph(17, 'float32');
 * const x = graph.reserve('x');
 * graph.nodeWithReservedOutput('Relu', [x], 'y');
 * const bytes = encodeModelProto({
 *   irVersion: 8, opset: 17, producerVersion: '0.1.0', graphName: 'g', nodes: graph.nodes, initializers: graph.initializers,
 *   inputs: [{ name: 'x', type: 'float32', dims: ['batch', 3] }], outputs: [{ name: 'y', type: 'float32', dims: ['batch', 3] }], metadata: {},
 * });
 */
export function encodeModelProto(parts: OnnxModelParts): Uint8Array {
  const { model, graph } = onnxFields;
  const graphMessage = new ProtoWriter();
  for (const node of parts.nodes) graphMessage.message(graph.node, nodeMessage(node));
  graphMessage.string(graph.name, parts.graphName);
  for (const initializer of parts.initializers) graphMessage.message(graph.initializer, tensorMessage(initializer));
  for (const input of parts.inputs) graphMessage.message(graph.input, valueInfoMessage(input));
  for (const output of parts.outputs) graphMessage.message(graph.output, valueInfoMessage(output));
  const message = new ProtoWriter()
    .int(model.irVersion, parts.irVersion)
    .string(model.producerName, 'annet')
    .string(model.producerVersion, parts.producerVersion)
    .message(model.graph, graphMessage)
    .message(
      model.opsetImport,
      new ProtoWriter().string(onnxFields.operatorSet.domain, '').int(onnxFields.operatorSet.version, parts.opset),
    );
  for (const [key, value] of Object.entries(parts.metadata))
    message.message(
      model.metadataProps,
      new ProtoWriter().string(onnxFields.stringEntry.key, key).string(onnxFields.stringEntry.value, value),
    );
  return message.finish();
}
