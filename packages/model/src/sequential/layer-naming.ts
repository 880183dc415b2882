import { AnnetError } from '@annet/tensor';
import type { ModelLayer } from './model-layer.js';

/** What naming needs of a layer: its name, arrays, and (optionally) how to rename it. */
type NamedLayer = Pick<ModelLayer, 'name' | 'rename' | 'hasExplicitName' | 'defaultName' | 'parameters' | 'buffers'>;

/**
 * Gives every auto-named layer a unique Keras-style name, `<defaultName>_<n>` with `n` counting
 * from 1 per default name in layer order (`dense_1`, `dense_2`, `dropout_1`), skipping names that
 * explicitly named layers already use. Deterministic: the same layer list always gets the same
 * names, whatever other models exist. Then checks every layer, parameter and buffer name is unique.
 *
 * @example
 * assignUniqueNames([new Dense(784, 128), new ReLU(), new Dense(128, 10)], 'Sequential');
 * // dense_1, relu_1, dense_2
 */
export function assignUniqueNames(layers: readonly NamedLayer[], operation: string): void {
  const taken = new Set<string>();
  for (const layer of layers) {
    if (isAutoNamed(layer)) continue;
    if (taken.has(layer.name)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `two layers are named ${JSON.stringify(layer.name)}; layer names must be unique within a model`,
      );
    }
    taken.add(layer.name);
  }
  const counters = new Map<string, number>();
  for (const layer of layers) {
    if (!isAutoNamed(layer)) continue;
    const base = layer.defaultName ?? layer.name;
    let counter = counters.get(base) ?? 0;
    let name: string;
    do name = `${base}_${++counter}`;
    while (taken.has(name));
    counters.set(base, counter);
    taken.add(name);
    layer.rename!(name, { explicit: false });
  }
  checkUniqueArrayNames(layers, operation);
}

function isAutoNamed(layer: NamedLayer): boolean {
  return layer.hasExplicitName === false && typeof layer.rename === 'function';
}

function checkUniqueArrayNames(layers: readonly NamedLayer[], operation: string): void {
  const owners = new Map<string, string>();
  const arrays = new Map<string, object>();
  for (const layer of layers) {
    for (const array of [...layer.parameters(), ...layer.buffers()]) {
      const owner = owners.get(array.name);
      // The same array object in two layers is one parameter shared by them (weight tying), not a clash.
      if (owner !== undefined && arrays.get(array.name) !== array) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `layers ${JSON.stringify(owner)} and ${JSON.stringify(layer.name)} both own an array named ${JSON.stringify(array.name)}; rename one of them`,
        );
      }
      owners.set(array.name, layer.name);
      arrays.set(array.name, array);
    }
  }
}
