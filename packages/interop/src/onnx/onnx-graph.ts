import type { FloatArray } from '@annet/layer-api';
import type { OnnxAttribute, OnnxElementType, OnnxInitializer, OnnxNode } from './onnx-proto.js';

/**
 * The graph being exported: nodes in topological order and initializers (weights and
 * constants), with unique tensor names. Converters add to it through these methods only.
 *
 * @example
 * const y = graph.node('Relu', [x], {}, 'relu_1');
 */
export class OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly names = new Set<string>();
  private readonly parameterInitializers = new Map<FloatArray, string>();

  /**
   * @param opset The default-domain opset the graph targets; converters pick ops by it.
   * @param floatType The element type of the model's float tensors.
   */
  constructor(
    readonly opset: number,
    readonly floatType: 'float32' | 'float64',
  ) {}

  /** Reserves `name` (a graph input), or a numbered variant if it is taken, and returns it. */
  reserve(name: string): string {
    let unique = name;
    for (let count = 1; this.names.has(unique); count++) unique = `${name}_${count}`;
    this.names.add(unique);
    return unique;
  }

  /** Adds a node with one output named `outputName` (made unique) and returns that name. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>>,
    outputName: string,
  ): string {
    const output = this.reserve(outputName);
    this.nodes.push({ opType, inputs, outputs: [output], name: output, attributes });
    return output;
  }

  /** Adds a node whose output is `name`, already reserved (a graph output). */
  nodeWithReservedOutput(opType: string, inputs: readonly string[], name: string): void {
    this.nodes.push({ opType, inputs, outputs: [name], name });
  }

  /** Adds a float initializer in the model's float type (row-major values of `dims`). */
  floats(name: string, values: FloatArray | readonly number[], dims: readonly number[]): string {
    const size = this.floatType === 'float64' ? 8 : 4;
    const raw = new Uint8Array(values.length * size);
    const view = new DataView(raw.buffer);
    for (let index = 0; index < values.length; index++) {
      if (size === 8) view.setFloat64(index * 8, values[index], true);
      else view.setFloat32(index * 4, values[index], true);
    }
    return this.initializer(name, this.floatType, dims, raw);
  }

  /**
   * The initializer of a parameter or buffer, added once per array: a weight shared by two layers
   * (an output projection tied to its embedding) is stored once.
   */
  parameter(name: string, values: FloatArray, dims: readonly number[]): string {
    const known = this.parameterInitializers.get(values);
    if (known !== undefined) return known;
    const added = this.floats(name, values, dims);
    this.parameterInitializers.set(values, added);
    return added;
  }

  /** Adds an int64 initializer (shapes, axes). */
  int64s(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((value, index) => view.setBigInt64(index * 8, BigInt(value), true));
    return this.initializer(name, 'int64', dims, raw);
  }

  private initializer(name: string, type: OnnxElementType, dims: readonly number[], raw: Uint8Array): string {
    const unique = this.reserve(name);
    this.initializers.push({ name: unique, type, dims: dims.slice(), raw });
    return unique;
  }
}
