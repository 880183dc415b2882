import type { Layer } from '@annet/layer-api';
import type { Rng, Tensor } from '@annet/tensor';

/**
 * What a {@link Sequential} needs from a layer: the `@annet/layer-api` contract over annet
 * tensors, plus the optional members `@annet/layers`' base class provides so that a model can
 * give auto-named layers unique names (`rename`, `hasExplicitName`, `defaultName`) and draw
 * every layer's initial parameters from one seeded stream (`initialize`).
 *
 * @example
 * const layers: ModelLayer[] = [new Dense(784, 128), new ReLU(), new Dense(128, 10)];
 */
export type ModelLayer = Layer<Tensor> & {
  /** Renames the layer and its parameters (`dense_1.weights`). */
  rename?(name: string, options?: { explicit?: boolean }): void;
  /** `false` when the layer's name was derived from its class rather than given. */
  readonly hasExplicitName?: boolean;
  /** The name used when none is given, such as `dense`. */
  readonly defaultName?: string;
  /** Redraws every parameter from `rng`, in order. */
  initialize?(rng: Rng): void;
};
