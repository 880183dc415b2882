import type { JsonValue } from '@annet/layer-api';
import type { InitializerConfig } from '../initializers/initializer.js';

/**
 * The activation that follows a layer, as a hint for its default kernel initializer only (the
 * hint applies nothing). ReLU-like hints pick `'heNormal'`, the others `'glorotUniform'`. Dense's
 * own `activation` option does not set it, as in Keras: pass both for a ReLU layer with He weights.
 *
 * @example
 * new Dense(784, 128, { activationHint: 'relu' }); // He-normal weights
 */
export type ActivationHint = 'relu' | 'leakyRelu' | 'elu' | 'gelu' | 'linear' | 'sigmoid' | 'tanh' | 'softmax';

/**
 * Initializer options of layers with a kernel (Dense, Conv2D).
 *
 * @example
 * const options: KernelOptions = { kernelInitializer: 'heNormal', biasInitializer: { name: 'constant', value: 0.01 } };
 */
export interface KernelOptions {
  /** Kernel initializer; default `'glorotUniform'` (as Keras), or `'heNormal'` with a ReLU-like `activationHint`. */
  readonly kernelInitializer?: InitializerConfig;
  /** Bias initializer; default `'zeros'`. */
  readonly biasInitializer?: InitializerConfig;
  /** The activation that will follow, to choose the default kernel initializer. */
  readonly activationHint?: ActivationHint;
  /** Whether the layer has a bias; default true. */
  readonly useBias?: boolean;
}

const reluLike = new Set<string>(['relu', 'leakyRelu', 'elu', 'gelu']);

/**
 * The kernel initializer a layer uses: the explicit one, else He for ReLU-like hints, else Glorot uniform.
 *
 * @example
 * defaultKernelInitializer({ activationHint: 'relu' }); // 'heNormal'
 */
export function defaultKernelInitializer(options: KernelOptions): InitializerConfig {
  if (options.kernelInitializer !== undefined) return options.kernelInitializer;
  return options.activationHint !== undefined && reluLike.has(options.activationHint) ? 'heNormal' : 'glorotUniform';
}

/**
 * The config entries every kernel layer (Dense, Conv2D) records after its own sizes, in one
 * order: `useBias`, the initializers, the seed entries, then `activationHint` when given.
 *
 * @example
 * kernelConfigEntries(true, 'heNormal', 'zeros', 'relu', { seed: 1 });
 * // { useBias: true, kernelInitializer: 'heNormal', biasInitializer: 'zeros', seed: 1, activationHint: 'relu' }
 */
export function kernelConfigEntries(
  useBias: boolean,
  kernelInitializer: InitializerConfig,
  biasInitializer: InitializerConfig,
  activationHint: string | undefined,
  seedEntries: Record<string, JsonValue>,
): Record<string, JsonValue> {
  const entries: Record<string, JsonValue> = { useBias, kernelInitializer, biasInitializer, ...seedEntries };
  if (activationHint !== undefined) entries.activationHint = activationHint;
  return entries;
}
