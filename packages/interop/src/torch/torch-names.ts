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
  /**
   * The torch name under which a weight this layer shares with another layer (an output
   * projection tied to an embedding) appears again: written as a copy, accepted and ignored on
   * read (the owner's entry loads it), as torch's `state_dict` lists a tied weight under both names.
   */
  readonly tiedAs?: string;
}

const recurrentArrays: readonly TorchArrayName[] = ['', '_reverse'].flatMap((suffix) => [
  { annet: `weightIH${suffix}`, torch: `weight_ih_l0${suffix}` },
  { annet: `weightHH${suffix}`, torch: `weight_hh_l0${suffix}` },
  { annet: `biasIH${suffix}`, torch: `bias_ih_l0${suffix}` },
  { annet: `biasHH${suffix}`, torch: `bias_hh_l0${suffix}` },
]);

/**
 * Layer `className` → its torch twin's names. Layers without parameters or buffers (activations,
 * pools, Flatten, Dropout, merges) need no entry; a layer with arrays and no entry is refused.
 *
 * @example
 * torchLayerMappings.Dense.arrays[0]; // { annet: 'weights', torch: 'weight' }
 */
export const torchLayerMappings: Readonly<Record<string, TorchLayerMapping>> = {
  Dense: {
    module: 'nn.Linear(in, out)',
    arrays: [
      { annet: 'weights', torch: 'weight', transpose: true },
      { annet: 'biases', torch: 'bias' },
    ],
  },
  Conv2D: {
    module: 'nn.Conv2d(in, out, k, stride, padding, dilation)',
    arrays: [
      { annet: 'weights', torch: 'weight' },
      { annet: 'biases', torch: 'bias' },
    ],
  },
  BatchNorm: {
    module: 'nn.BatchNorm1d / nn.BatchNorm2d(C, eps, momentum)',
    arrays: [
      { annet: 'gamma', torch: 'weight' },
      { annet: 'beta', torch: 'bias' },
      { annet: 'runningMean', torch: 'running_mean' },
      { annet: 'runningVariance', torch: 'running_var' },
    ],
    extras: [{ torch: 'num_batches_tracked', value: 0 }],
  },
  LayerNorm: {
    module: 'nn.LayerNorm(shape, eps)',
    arrays: [
      { annet: 'gamma', torch: 'weight' },
      { annet: 'beta', torch: 'bias' },
    ],
  },
  Embedding: { module: 'nn.Embedding(V, D)', arrays: [{ annet: 'embeddings', torch: 'weight' }] },
  SimpleRNN: { module: 'nn.RNN(in, H, batch_first=True)', arrays: recurrentArrays },
  LSTM: { module: 'nn.LSTM(in, H, batch_first=True)', arrays: recurrentArrays },
  GRU: { module: 'nn.GRU(in, H, batch_first=True)', arrays: recurrentArrays },
  Bidirectional: {
    module: 'nn.LSTM / nn.GRU / nn.RNN(in, H, batch_first=True, bidirectional=True)',
    arrays: recurrentArrays,
  },
  MultiHeadAttention: {
    module: 'nn.MultiheadAttention(E, heads, batch_first=True)',
    arrays: [
      { annet: 'queryKeyValueWeights', torch: 'in_proj_weight', transpose: true },
      { annet: 'queryKeyValueBiases', torch: 'in_proj_bias' },
      { annet: 'outputWeights', torch: 'out_proj.weight', transpose: true },
      { annet: 'outputBiases', torch: 'out_proj.bias' },
    ],
  },
  PositionalEmbedding: {
    module: "nn.Embedding(maxLength, E) (GPT-2's wpe)",
    arrays: [{ annet: 'positions', torch: 'weight' }],
  },
  TransposedEmbedding: {
    module: 'nn.Linear(E, V, bias=False) tied to the embedding (lm_head.weight = wte.weight)',
    arrays: [],
    tiedAs: 'weight',
  },
};
