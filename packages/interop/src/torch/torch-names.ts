/**
 * How an annet layer's arrays are named and laid out in its PyTorch twin's `state_dict`: the
 * annet array `<layer>.<annet>` is the torch tensor `<layer>.<torch>`, transposed where
 * `transpose` is set (a Dense kernel is `[in, out]`, `nn.Linear.weight` is `[out, in]`).
 */
export interface TorchArrayName {
  readonly annet: string;
  readonly torch: string;
  readonly transpose?: boolean;
}

/** A torch buffer with no annet counterpart: written as a placeholder, accepted and ignored on read. */
export interface TorchExtraBuffer {
  readonly torch: string;
  /** The value written (an int32 scalar; `load_state_dict` copies it into torch's int64 buffer). */
  readonly value: number;
}

/** One layer class's mapping and its torch module, for the README table and error messages. */
export interface TorchLayerMapping {
  readonly module: string;
  readonly arrays: readonly TorchArrayName[];
  readonly extras?: readonly TorchExtraBuffer[];
}

/**
 * Layer `className` → its torch twin's names. Layers without parameters or buffers (activations,
 * pools, Flatten, Dropout, merges) need no entry; a layer with arrays and no entry is refused.
 *
 * @example
 * torchLayerMappings.Dense.arrays[0]; // { annet: 'weights', torch: 'weight' }
 */
export const torchLayerMappings: Readonly<Record<string, TorchLayerMapping>> = {
  Dense: { module: 'nn.Linear(in, out)', arrays: [{ annet: 'weights', torch: 'weight', transpose: true }, { annet: 'biases', torch: 'bias' }] },
  Conv2D: { module: 'nn.Conv2d(in, out, k, stride, padding, dilation)', arrays: [{ annet: 'weights', torch: 'weight' }, { annet: 'biases', torch: 'bias' }] },
  BatchNorm: {
    module: 'nn.BatchNorm1d / nn.BatchNorm2d(C, eps, momentum)',
    arrays: [{ annet: 'gamma', torch: 'weight' }, { annet: 'beta', torch: 'bias' }, { annet: 'runningMean', torch: 'running_mean' }, { annet: 'runningVariance', torch: 'running_var' }],
    extras: [{ torch: 'num_batches_tracked', value: 0 }],
  },
  LayerNorm: { module: 'nn.LayerNorm(shape, eps)', arrays: [{ annet: 'gamma', torch: 'weight' }, { annet: 'beta', torch: 'bias' }] },
  Embedding: { module: 'nn.Embedding(V, D)', arrays: [{ annet: 'embeddings', torch: 'weight' }] },
};
