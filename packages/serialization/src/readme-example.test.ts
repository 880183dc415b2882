import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tensor } from '@annet/tensor';
import { expect, it } from 'vitest';
import { assertArchitectureMatches, type Checkpoint } from './index.js';
import { loadCheckpoint, saveCheckpoint } from './node.js';

// The README's example, line for line except that `run` lives in a temporary folder.
it('runs the README example', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'annet-readme-'));
  const run = path.join(root, 'run');
  try {
    const architecture = { className: 'Sequential', layers: [{ className: 'Dense', name: 'dense_1', units: 2 }] };
    const checkpoint: Checkpoint = {
      format: 'annet-checkpoint',
      formatVersion: 1,
      annetVersion: '0.1.0',
      tensors: {
        'model.dense_1.weights': tensor([
          [1, 2],
          [3, 4],
        ]),
        'optimizer.dense_1.weights.firstMoment': tensor([
          [0, 0],
          [0, 0],
        ]),
      },
      architecture,
      optimizer: { type: 'Adam', config: { learningRate: 0.001 }, state: { step: 10 } },
      schedule: null,
      rng: {},
      dataLoader: { position: 64 },
      epoch: 1,
      step: 10,
      history: { loss: [0.9, 0.5] },
    };
    await mkdir(run, { recursive: true });
    await saveCheckpoint(path.join(run, 'model.ckpt'), checkpoint, { keepLast: 3 });
    const loaded = await loadCheckpoint(path.join(run, 'model.ckpt'));
    assertArchitectureMatches(architecture, loaded.architecture, 'run/model.ckpt');
    expect([loaded.step, loaded.tensors['model.dense_1.weights'].toArray()]).toEqual([
      10,
      [
        [1, 2],
        [3, 4],
      ],
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
