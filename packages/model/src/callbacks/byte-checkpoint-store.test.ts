import { Dense, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { loadCheckpointFrom, MemoryByteStore } from '@annet/serialization';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { byteCheckpointStore } from './byte-checkpoint-store.js';
import { ModelCheckpoint } from './model-checkpoint.js';

const data = blobs(96, { seed: 3 });
const model = () => new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3)], { inputShape: [4] }).initialize(2);
const options = { loss: 'softmaxCrossEntropy' as const, epochs: 3, batchSize: 16 };

describe('byteCheckpointStore', () => {
  it('saves encoded checkpoints by name into a byte store, keeps only the last (keepLast: 1), and it resumes to the same weights', async () => {
    const bytes = new MemoryByteStore();
    const straight = model();
    await straight.fit(data, { ...options, optimizer: new Adam() });
    const saving = model();
    await saving.fit(data, {
      ...options,
      epochs: 2,
      optimizer: new Adam(),
      callbacks: [
        new ModelCheckpoint({
          store: byteCheckpointStore(bytes, (moment) => `epoch-${moment.epoch}.ckpt`),
          keepLast: 1,
        }),
      ],
    });
    expect(await bytes.list()).toEqual(['epoch-2.ckpt']);
    const resumed = model();
    await resumed.fit(data, {
      ...options,
      optimizer: new Adam(),
      resumeFrom: await loadCheckpointFrom(bytes, 'epoch-2.ckpt'),
    });
    expect(resumed.parameters().map((parameter) => Array.from(parameter.value))).toEqual(
      straight.parameters().map((parameter) => Array.from(parameter.value)),
    );
  });
});
