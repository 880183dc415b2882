import v8 from 'node:v8';
import vm from 'node:vm';
import { Add, Dense, Dropout, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { blobs } from '../testing/blobs.js';
import { apply } from './apply.js';
import { Model } from './model.js';
import { input } from './symbolic-tensor.js';

describe('a steady-state graph training step', () => {
  it('keeps memory flat over a long run (fan-out, a residual Add, Dropout)', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const x = input({ name: 'x', shape: [16] });
    const hidden = apply(new ReLU(), apply(new Dense(16, 16), x));
    const block = apply(new Dropout(0.2), apply(new Add(), [x, apply(new Dense(16, 16), hidden), hidden]));
    const model = new Model({ inputs: x, outputs: apply(new Dense(16, 3), block) }).initialize(1);
    const data = blobs(256, { features: 16 });
    const optimizer = new Adam({ learningRate: 1e-3 });
    const used = () => {
      gc();
      const memory = process.memoryUsage();
      return memory.heapUsed + memory.arrayBuffers;
    };
    // Two warm-up calls, so that what a second `fit` call compiles or caches once (seen: 547 KB
    // once, on a loaded machine, when the measured call was the second one) is in `before`.
    const settings = { optimizer, loss: 'softmaxCrossEntropy', batchSize: 32, metrics: ['accuracy'] } as const;
    await model.fit(data, { ...settings, epochs: 5 });
    await model.fit(data, { ...settings, epochs: 10, initialEpoch: 5 });
    const before = used();
    // 40 more epochs, 320 more steps: anything allocated per step would show as megabytes.
    await model.fit(data, { ...settings, epochs: 50, initialEpoch: 10 });
    expect(used() - before).toBeLessThan(512 * 1024);
  });
});
