import {
  BatchNorm,
  Bidirectional,
  Conv2D,
  Dense,
  Dropout,
  Embedding,
  Flatten,
  GRU,
  LayerNorm,
  LSTM,
  MaxPool2D,
  MultiHeadAttention,
  PositionalEmbedding,
  ReLU,
} from '@annet/layers';
import { Sequential } from '@annet/model';

/**
 * Small annet models whose PyTorch twins `fixtures/make-torch-fixtures.py` builds with the same
 * layer names (an `nn.Sequential` of an `OrderedDict`), and the shape of one sample.
 */
export const torchTwins = {
  mlp: {
    sample: [20],
    build: () =>
      new Sequential(
        [
          new Dense(20, 16, { activation: 'relu' }),
          new Dropout(0.2),
          new Dense(16, 8, { activation: 'relu' }),
          new Dense(8, 3),
        ],
        { name: 'mlp', inputShape: [20] },
      ),
  },
  cnn: {
    sample: [1, 12, 12],
    build: () =>
      new Sequential(
        [
          new Conv2D(1, 4, 3, { padding: 'same', activation: 'relu' }),
          new MaxPool2D(2),
          new Conv2D(4, 6, 3, { stride: 2, padding: 1, activation: 'relu' }),
          new Conv2D(6, 6, 3, { dilation: 2, padding: 2 }),
          new Flatten(),
          new Dense(54, 5),
        ],
        { name: 'cnn', inputShape: [1, 12, 12] },
      ),
  },
  norms: {
    sample: [1, 8, 8],
    build: () =>
      new Sequential(
        [
          new Conv2D(1, 4, 3, { padding: 1 }),
          new BatchNorm(4),
          new ReLU(),
          new MaxPool2D(2),
          new Flatten(),
          new Dense(64, 10),
          new BatchNorm(10),
          new LayerNorm(10),
          new Dense(10, 3),
        ],
        { name: 'norms', inputShape: [1, 8, 8] },
      ),
  },
  tokens: {
    sample: [5],
    build: () =>
      new Sequential([new Embedding(11, 4), new Flatten(), new Dense(20, 3)], { name: 'tokens', inputShape: [5] }),
  },
  tagger: {
    sample: [7],
    build: () =>
      new Sequential(
        [new Embedding(30, 8), new Bidirectional(new LSTM(8, 6, { returnSequences: true })), new Dense(12, 5)],
        { name: 'tagger', inputShape: [7] },
      ),
  },
  gru: {
    sample: [6, 4],
    build: () => new Sequential([new GRU(4, 5), new Dense(5, 3)], { name: 'gru', inputShape: [6, 4] }),
  },
  attention: {
    sample: [5, 8],
    build: () =>
      new Sequential(
        [new PositionalEmbedding(5, 8), new MultiHeadAttention(8, { numHeads: 2, causal: true }), new Dense(8, 3)],
        { name: 'attention', inputShape: [5, 8] },
      ),
  },
} as const;

/** The fixture models by name. */
export type TorchTwinName = keyof typeof torchTwins;
