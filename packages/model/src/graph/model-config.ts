import type { JsonObject, LayerConfig } from '@annet/layer-api';
import { graphLayerFromRegistry, type LayerRegistry } from '@annet/layers';
import { AnnetError, type DType } from '@annet/tensor';
import { apply } from './apply.js';
import type { GraphLayer } from './graph-layer.js';
import type { GraphPlan } from './graph-plan.js';
import { input, type SymbolicTensor } from './symbolic-tensor.js';

/**
 * A graph model as JSON: its inputs, each layer's config once, the layer calls in execution
 * order with the tensors they read (`image`, `dense_1`, `dense_1@1` for a layer's second call),
 * and the named outputs. Weights are not part of it.
 *
 * @example
 * const config: ModelConfig = model.getConfig();
 * config.nodes[0]; // { layer: 'conv2d_1', inputs: ['image'] }
 */
export interface ModelConfig extends JsonObject {
  readonly className: 'Model';
  readonly name: string;
  readonly inputs: readonly { readonly name: string; readonly shape: readonly number[]; readonly dtype: string }[];
  readonly layers: readonly LayerConfig[];
  readonly nodes: readonly { readonly layer: string; readonly inputs: readonly string[] }[];
  readonly outputs: readonly { readonly name: string; readonly tensor: string }[];
}

/**
 * The config of a built plan.
 *
 * @example
 * planConfig('classifier', plan).nodes.length; // number of layer calls
 */
export function planConfig(name: string, plan: GraphPlan): ModelConfig {
  return {
    className: 'Model',
    name,
    inputs: plan.inputs.map((tensor) => ({
      name: tensor.inputName!,
      shape: tensor.shape.slice(1),
      dtype: tensor.dtype,
    })),
    layers: plan.layers.map((layer) => layer.getConfig()),
    nodes: plan.nodes.map((node) => ({
      layer: node.layer.name,
      inputs: node.inputSlots.map((slot) => plan.slotNames[slot]),
    })),
    outputs: plan.outputNames.map((outputName, index) => ({
      name: outputName,
      tensor: plan.slotNames[plan.outputSlots[index]],
    })),
  };
}

/**
 * Rebuilds the symbolic graph of a {@link ModelConfig}: inputs, layers through `registry`, then
 * the calls in dependency order. Refuses unknown references and cycles, naming them.
 *
 * @example
 * const { inputs, outputs } = graphFromConfig(config, defaultLayerRegistry);
 */
export function graphFromConfig(
  config: ModelConfig,
  registry: LayerRegistry,
): { inputs: SymbolicTensor[]; outputs: Record<string, SymbolicTensor> } {
  const operation = 'Model.fromConfig';
  if (
    typeof config !== 'object' ||
    config === null ||
    config.className !== 'Model' ||
    !Array.isArray(config.inputs) ||
    !Array.isArray(config.layers) ||
    !Array.isArray(config.nodes) ||
    !Array.isArray(config.outputs)
  ) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected { className: 'Model', name, inputs, layers, nodes, outputs }, got ${JSON.stringify(config)?.slice(0, 120)}`,
    );
  }
  const tensors = new Map<string, SymbolicTensor>();
  const inputs = config.inputs.map((entry) => {
    const tensor = input({ name: entry.name, shape: entry.shape, dtype: entry.dtype as DType });
    tensors.set(entry.name, tensor);
    return tensor;
  });
  const layers = new Map<string, GraphLayer>();
  for (const layerConfig of config.layers)
    layers.set(layerConfig.name, graphLayerFromRegistry(layerConfig, registry, operation) as GraphLayer);
  // Layers that refer to other layers by name (a TransposedEmbedding tied to its Embedding) find them now.
  for (const layer of layers.values())
    (layer as { linkLayers?: (lookup: (name: string) => unknown) => void }).linkLayers?.((name) => layers.get(name));
  // Name every node's output the way planConfig does, then build them in dependency order.
  const calls = new Map<string, number>();
  const producers = new Map<string, number>();
  const outputNames = config.nodes.map((node, index) => {
    const call = calls.get(node.layer) ?? 0;
    calls.set(node.layer, call + 1);
    const name = call === 0 ? node.layer : `${node.layer}@${call}`;
    producers.set(name, index);
    return name;
  });
  const state = new Array<'visiting' | 'done' | undefined>(config.nodes.length);
  const build = (index: number, path: string[]): void => {
    if (state[index] === 'done') return;
    if (state[index] === 'visiting')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `the graph has a cycle: ${[...path.slice(path.indexOf(outputNames[index])), outputNames[index]].join(' → ')}; a model must be acyclic`,
      );
    state[index] = 'visiting';
    const node = config.nodes[index];
    const layer = layers.get(node.layer);
    if (layer === undefined)
      throw new AnnetError(
        'NOT_FOUND',
        operation,
        `node ${index} calls layer ${JSON.stringify(node.layer)}, which is not among the config's layers`,
      );
    const sources = node.inputs.map((reference) => {
      if (!tensors.has(reference)) {
        const producer = producers.get(reference);
        if (producer === undefined)
          throw new AnnetError(
            'NOT_FOUND',
            operation,
            `node ${JSON.stringify(outputNames[index])} reads ${JSON.stringify(reference)}, which is neither an input nor a node`,
          );
        build(producer, [...path, outputNames[index]]);
      }
      return tensors.get(reference)!;
    });
    if (sources.length === 0)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `node ${JSON.stringify(outputNames[index])} reads no tensor, so it depends on no input`,
      );
    tensors.set(
      outputNames[index],
      apply(layer, (layer as { multiInput?: boolean }).multiInput === true ? sources : sources[0]),
    );
    state[index] = 'done';
  };
  for (let index = 0; index < config.nodes.length; index++) build(index, []);
  const outputs: Record<string, SymbolicTensor> = {};
  for (const entry of config.outputs) {
    const tensor = tensors.get(entry.tensor);
    if (tensor === undefined)
      throw new AnnetError(
        'NOT_FOUND',
        operation,
        `output ${JSON.stringify(entry.name)} is ${JSON.stringify(entry.tensor)}, which is neither an input nor a node`,
      );
    outputs[entry.name] = tensor;
  }
  return { inputs, outputs };
}
