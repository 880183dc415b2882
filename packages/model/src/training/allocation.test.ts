import v8 from 'node:v8';
import vm from 'node:vm';
import type { LayerConfig } from '@annet/layer-api';
import { Dense, Dropout, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import type { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import type { ModelLayer } from '../sequential/model-layer.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';

/**
 * Which memory an array is: its buffer, or for an array in the kernels' shared memory (resident
 * layer buffers, the loader's reused batches), where every array shares one buffer, its address.
 */
const whereIs = (array: Tensor['data']): unknown =>
  array.buffer instanceof SharedArrayBuffer ? `kernel memory at ${array.byteOffset}` : array.buffer;

/** An identity layer that remembers which arrays flow through it, forward and backward. */
class Probe implements ModelLayer {
  readonly forwardArrays = new Set<unknown>();
  readonly backwardArrays = new Set<unknown>();
  constructor(readonly name: string) {}
  forward(input: Tensor): Tensor {
    this.forwardArrays.add(whereIs(input.data));
    return input;
  }
  backward(gradient: Tensor): Tensor {
    this.backwardArrays.add(whereIs(gradient.data));
    return gradient;
  }
  outputShape(shape: readonly number[]): number[] {
    return shape.slice();
  }
  parameters() {
    return [];
  }
  buffers() {
    return [];
  }
  getConfig(): LayerConfig {
    return { className: 'Probe', name: this.name };
  }
}

describe('a steady-state training step', () => {
  it('reuses the batch arrays, every layer output and gradient, and the loss gradient', async () => {
    const first = new Probe('first');
    const middle = new Probe('middle');
    const last = new Probe('last');
    const model = new Sequential([
      first,
      new Dense(4, 32),
      new ReLU(),
      new Dropout(0.2),
      middle,
      new Dense(32, 3),
      last,
    ]).initialize(1);
    // 128 samples in batches of 16: every batch has the same shape.
    await model.fit(blobs(128), {
      optimizer: new Adam(),
      loss: 'softmaxCrossEntropy',
      epochs: 5,
      batchSize: 16,
      metrics: ['accuracy'],
    });
    // 40 steps. The loader fills one batch array per epoch (its buffers belong to one loop over it),
    // reused by every step of that epoch.
    expect(first.forwardArrays.size).toBe(5);
    // Every other site saw one array throughout: the hidden activation and its gradient, the
    // logits and the loss gradient.
    expect(first.backwardArrays.size).toBe(1);
    for (const probe of [middle, last]) {
      expect(probe.forwardArrays.size, probe.name).toBe(1);
      expect(probe.backwardArrays.size, probe.name).toBe(1);
    }
  });
  it('keeps memory flat over a long run', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const model = new Sequential([new Dense(16, 64), new ReLU(), new Dropout(0.2), new Dense(64, 3)]).initialize(1);
    const data = blobs(256, { features: 16 });
    const optimizer = new Adam({ learningRate: 1e-3 });
    const used = () => {
      gc();
      const memory = process.memoryUsage();
      return memory.heapUsed + memory.arrayBuffers;
    };
    await model.fit(data, { optimizer, loss: 'softmaxCrossEntropy', epochs: 5, batchSize: 32, metrics: ['accuracy'] });
    const before = used();
    // 40 more epochs, 320 more steps, through the same fit machinery.
    await model.fit(data, {
      optimizer,
      loss: 'softmaxCrossEntropy',
      epochs: 45,
      initialEpoch: 5,
      batchSize: 32,
      metrics: ['accuracy'],
    });
    const after = used();
    // The history grows by 40 small log objects; anything per step would show as megabytes.
    expect(after - before).toBeLessThan(512 * 1024);
  });
});
