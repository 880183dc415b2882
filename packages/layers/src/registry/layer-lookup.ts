import type { LayerConfig } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { BaseLayer } from '../base-layer.js';
import { MergeLayer } from '../merge/merge-layer.js';
// Types only: erased at compile time, so this module imports no layer class.
import type { LayerRegistry } from './layer-registry.js';

/**
 * Rebuilds a single-input layer from its config through `registry`, which is required: this file
 * imports no layer class, so a program that passes `{ Dense, ReLU }` bundles only those two.
 *
 * @example
 * const dense = layerFromRegistry({ className: 'Dense', name: 'dense_1', inputSize: 4, outputSize: 2 }, { Dense });
 */
export function layerFromRegistry(
  config: LayerConfig,
  registry: LayerRegistry,
  operation = 'layerFromRegistry',
): BaseLayer {
  const layer = graphLayerFromRegistry(config, registry, operation);
  if (layer instanceof MergeLayer) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${layer.className} takes several inputs, so it only fits in a graph model; rebuild it with graphLayerFromConfig(config) (or Model.fromConfig)`,
    );
  }
  return layer;
}

/**
 * Rebuilds any layer from its config, single-input or merge, through `registry` (required, see
 * {@link layerFromRegistry}). An unknown `className` is refused with the list of known ones.
 *
 * @example
 * const add = graphLayerFromRegistry({ className: 'Add', name: 'add_1' }, { Add }); // an Add
 */
export function graphLayerFromRegistry(
  config: LayerConfig,
  registry: LayerRegistry,
  operation = 'layerFromRegistry',
): BaseLayer | MergeLayer {
  if (typeof registry !== 'object' || registry === null) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a layer registry such as { Dense, ReLU } (or defaultLayerRegistry of @annet/layers), got ${String(registry)}`,
    );
  }
  const className = config?.className;
  if (typeof className !== 'string' || !Object.hasOwn(registry, className)) {
    throw new AnnetError(
      'NOT_FOUND',
      operation,
      `unknown layer className ${JSON.stringify(className)}; the registry knows ${Object.keys(registry).join(', ') || 'nothing'}. Pass a registry that includes it: { ...registry, ${typeof className === 'string' ? className : 'MyLayer'} }`,
    );
  }
  return registry[className].fromConfig(config);
}
