import { Dense, Dropout, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import type { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { History } from '../callbacks/history.js';
import { MemoryCheckpointStore, ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { withoutWallClock } from './wall-clock.js';

const data = blobs(96, { seed: 8 });

async function run(): Promise<Checkpoint> {
  const store = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
  const model = new Sequential([new Dense(4, 12), new ReLU(), new Dropout(0.2), new Dense(12, 3)], {
    inputShape: [4],
  }).initialize(3);
  await model.fit(data, {
    optimizer: new Adam(),
    loss: 'softmaxCrossEntropy',
    epochs: 3,
    batchSize: 16,
    validationSplit: 0.25,
    metrics: ['accuracy'],
    callbacks: [new ModelCheckpoint({ store })],
  });
  return store.get('epoch-3')!;
}

const bytesOf = (tensor: Tensor) => new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);

describe('wall-clock figures in checkpoints', () => {
  it('two identical runs have byte-identical model and optimizer tensors, and byte-identical files once withoutWallClock drops the timings', async () => {
    const first = await run();
    const second = await run();
    const names = Object.keys(first.tensors).filter(
      (name) => name.startsWith('model.') || name.startsWith('optimizer.'),
    );
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) expect(bytesOf(second.tensors[name]), name).toEqual(bytesOf(first.tensors[name]));
    // The timings sit apart from the epochs' figures, and are the only part that may differ.
    const history = first.history as { epochs: Record<string, unknown>[]; wallClock: Record<string, unknown>[] };
    expect(Object.keys(history.wallClock[0]).sort()).toEqual(['samplesPerSecond', 'seconds']);
    expect(history.epochs[0]).not.toHaveProperty('seconds');
    expect(encodeCheckpoint(withoutWallClock(second))).toEqual(encodeCheckpoint(withoutWallClock(first)));
    expect(JSON.stringify(withoutWallClock(first))).not.toMatch(/seconds|samplesPerSecond/);
  });

  it('History keeps timings through a checkpoint, and a checkpoint without them still restores the figures', () => {
    const history = new History();
    history.onEpochEnd({ loss: 0.5, accuracy: Number.NaN, seconds: 1.25, samplesPerSecond: 800 });
    const restored = new History();
    restored.setState(
      decodeCheckpoint(encodeCheckpoint({ ...sampleHolder(), history: history.getState() })).history as never,
    );
    expect(restored.epochs).toEqual([{ loss: 0.5, accuracy: Number.NaN, seconds: 1.25, samplesPerSecond: 800 }]);
    const { wallClock: _timings, ...withoutTimings } = history.getState();
    restored.setState(withoutTimings);
    expect(restored.epochs).toEqual([{ loss: 0.5, accuracy: Number.NaN }]);
    // The format before the split, timings inline, reads as it was.
    restored.setState({ epochs: [{ loss: 0.25, seconds: 2 }] });
    expect(restored.epochs).toEqual([{ loss: 0.25, seconds: 2 }]);
  });
});

/** The smallest valid checkpoint to carry a history through the encoder. */
function sampleHolder(): Checkpoint {
  return {
    format: 'annet-checkpoint',
    formatVersion: 1,
    annetVersion: '0.1.0',
    tensors: {},
    architecture: { className: 'Sequential', name: 'm', layers: [] },
    optimizer: null,
    schedule: null,
    rng: {},
    dataLoader: null,
    epoch: 1,
    step: 1,
    history: {},
    extra: {},
  } as unknown as Checkpoint;
}
