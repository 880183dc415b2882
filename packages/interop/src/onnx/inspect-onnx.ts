import { AnnetError } from '@annet/tensor';
import { ProtoFormatError, readProtoFields, type ProtoField } from '../protobuf/proto-reader.js';
import { onnxFields } from './onnx-proto.js';

/** What {@link inspectOnnx} reads from a `ModelProto`. */
export interface OnnxSummary {
  readonly irVersion: number;
  readonly producerName: string;
  /** Default-domain opset version. */
  readonly opset: number;
  readonly graphName: string;
  /** Every node's `op_type`, in graph order. */
  readonly operators: readonly string[];
  /** Graph inputs and outputs with their dims (a string is a symbolic dimension). */
  readonly inputs: readonly { readonly name: string; readonly dims: readonly (number | string)[] }[];
  readonly outputs: readonly { readonly name: string; readonly dims: readonly (number | string)[] }[];
  /** Initializer names (the weights). */
  readonly initializers: readonly string[];
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

function text(field: ProtoField): string {
  if (!(field.value instanceof Uint8Array)) throw new ProtoFormatError(`field ${field.field} should be a string`);
  return textDecoder.decode(field.value);
}

function message(field: ProtoField): ProtoField[] {
  if (!(field.value instanceof Uint8Array)) throw new ProtoFormatError(`field ${field.field} should be a message`);
  return readProtoFields(field.value);
}

const get = (fields: ProtoField[], number: number) => fields.filter((field) => field.field === number);

function valueInfo(field: ProtoField): { name: string; dims: (number | string)[] } {
  const fields = message(field);
  const name = get(fields, onnxFields.valueInfo.name).map(text)[0] ?? '';
  const tensorType =
    get(fields, onnxFields.valueInfo.type).flatMap((type) =>
      get(message(type), onnxFields.type.tensorType).map(message),
    )[0] ?? [];
  const shape = get(tensorType, onnxFields.tensorType.shape).map(message)[0] ?? [];
  const dims = get(shape, onnxFields.shape.dim).map((dim) => {
    const parts = message(dim);
    const param = get(parts, onnxFields.dimension.dimParam)[0];
    return param ? text(param) : (get(parts, onnxFields.dimension.dimValue)[0]?.value as number);
  });
  return { name, dims };
}

/**
 * Reads the outline of an ONNX model (IR version, opset, operators, inputs, outputs, weight
 * names) without a runtime: a check that bytes are an ONNX `ModelProto`. Anything else (a
 * safetensors file, text, a truncated download) is refused with a `PARSE_ERROR` AnnetError.
 *
 * @example
 * inspectOnnx(exportOnnx(model)).operators; // ['Gemm', 'Relu', 'Gemm', 'Identity']
 */
export function inspectOnnx(bytes: Uint8Array, source = '<bytes>'): OnnxSummary {
  const fail = (detail: string) =>
    new AnnetError('PARSE_ERROR', 'inspectOnnx', `${source}: not an ONNX model (${detail})`);
  if (!(bytes instanceof Uint8Array))
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'inspectOnnx',
      `expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  try {
    const model = readProtoFields(bytes);
    const { model: fields, graph: graphFields } = onnxFields;
    const irVersion = get(model, fields.irVersion)[0]?.value;
    const graphField = get(model, fields.graph)[0];
    if (typeof irVersion !== 'number' || graphField === undefined)
      throw fail('a ModelProto has an ir_version (field 1) and a graph (field 7)');
    const graph = message(graphField);
    const opset = get(model, fields.opsetImport)
      .map(message)
      .find((entry) => (get(entry, onnxFields.operatorSet.domain).map(text)[0] ?? '') === '');
    return {
      irVersion,
      producerName: get(model, fields.producerName).map(text)[0] ?? '',
      opset: (opset && (get(opset, onnxFields.operatorSet.version)[0]?.value as number)) ?? 0,
      graphName: get(graph, graphFields.name).map(text)[0] ?? '',
      operators: get(graph, graphFields.node).map(
        (node) => get(message(node), onnxFields.node.opType).map(text)[0] ?? '',
      ),
      inputs: get(graph, graphFields.input).map(valueInfo),
      outputs: get(graph, graphFields.output).map(valueInfo),
      initializers: get(graph, graphFields.initializer).map(
        (tensor) => get(message(tensor), onnxFields.tensor.name).map(text)[0] ?? '',
      ),
    };
  } catch (error) {
    if (error instanceof AnnetError) throw error;
    if (error instanceof ProtoFormatError || error instanceof TypeError) throw fail((error as Error).message);
    throw error;
  }
}
