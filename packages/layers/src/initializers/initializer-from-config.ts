import { AnnetError } from '@annet/tensor';
import type { Initializer, InitializerConfig } from './initializer.js';
import { constantInitializer, initializers, normalInitializer, uniformInitializer } from './initializers.js';

/**
 * Turns an {@link InitializerConfig} (a name or `{ name, ...arguments }`) into an initializer.
 *
 * @example
 * const fill = initializerFromConfig({ name: 'uniform', low: -1, high: 1 });
 * fill(new Float64Array(10), { fanIn: 1, fanOut: 10 }, createRng(0));
 */
export function initializerFromConfig(config: InitializerConfig): Initializer {
  const name = typeof config === 'string' ? config : config?.name;
  if (typeof config === 'object' && config !== null) {
    if (config.name === 'constant' && 'value' in config) return constantInitializer(config.value);
    if (config.name === 'uniform' && ('low' in config || 'high' in config))
      return uniformInitializer(config.low, config.high);
    if (config.name === 'normal' && ('mean' in config || 'standardDeviation' in config))
      return normalInitializer(config.mean, config.standardDeviation);
  }
  if (typeof name === 'string' && Object.hasOwn(initializers, name))
    return initializers[name as keyof typeof initializers];
  throw new AnnetError(
    'INVALID_ARGUMENT',
    'initializerFromConfig',
    `unknown initializer ${JSON.stringify(config)}; expected one of ${Object.keys(initializers).join(', ')} or { name: 'constant', value }`,
  );
}
