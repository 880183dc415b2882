import type { FloatArray } from '@annet/layer-api';
import type { Rng } from '@annet/tensor';

/**
 * The fan sizes that variance-scaling initializers use. For a Dense kernel `[in, out]` they are
 * `in` and `out`; for a convolution kernel `[outChannels, inChannels, kh, kw]` they are
 * `inChannels·kh·kw` and `outChannels·kh·kw` (the Keras and PyTorch convention).
 *
 * @example
 * const fans: Fans = { fanIn: 784, fanOut: 128 };
 */
export interface Fans {
  /** Inputs feeding each output unit. */
  readonly fanIn: number;
  /** Outputs each input unit feeds. */
  readonly fanOut: number;
}

/**
 * Fills `values` in place, drawing from `rng` in index order (so a seeded rng gives the same
 * values on every platform).
 *
 * @example
 * const fill: Initializer = (values, _fans, rng) => { for (let i = 0; i < values.length; i++) values[i] = rng.uniform(); };
 */
export type Initializer = (values: FloatArray, fans: Fans, rng: Rng) => void;

/**
 * Names of the initializers that take no arguments.
 *
 * @example
 * const name: InitializerName = 'glorotUniform';
 */
export type InitializerName =
  'zeros' | 'ones' | 'uniform' | 'normal' | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'lecunNormal';

/**
 * An initializer as JSON, so a layer's config can name it: a bare name, or an object with
 * arguments (`{ name: 'constant', value: 0.1 }`, `{ name: 'uniform', low: -1, high: 1 }`,
 * `{ name: 'normal', mean: 0, standardDeviation: 0.02 }`).
 *
 * @example
 * const kernel: InitializerConfig = 'heNormal';
 * const bias: InitializerConfig = { name: 'constant', value: 0.01 };
 */
export type InitializerConfig =
  | InitializerName
  | { readonly name: 'constant'; readonly value: number }
  | { readonly name: 'uniform'; readonly low?: number; readonly high?: number }
  | { readonly name: 'normal'; readonly mean?: number; readonly standardDeviation?: number }
  | { readonly name: InitializerName };
