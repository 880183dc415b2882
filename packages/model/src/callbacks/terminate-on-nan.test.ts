import { Dense, ReLU } from '@annet/layers';
import { SGD } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { MemoryCheckpointStore, ModelCheckpoint } from './model-checkpoint.js';
import { TerminateOnNaN } from './terminate-on-nan.js';

describe('TerminateOnNaN', () => {
  it('stops at the first non-finite loss, reports the step and leaves the last good checkpoint alone', async () => {
    const model = new Sequential([new Dense(4, 32), new ReLU(), new Dense(32, 3)], { inputShape: [4] }).initialize(1);
    const guard = new TerminateOnNaN();
    const store = new MemoryCheckpointStore();
    const saver = new ModelCheckpoint({ store, everySteps: 1 });
    const losses: number[] = [];
    const history = await model.fit(blobs(200), {
      // A learning rate of 1e8 makes plain SGD diverge within a few steps.
      optimizer: new SGD({ learningRate: 1e8 }),
      loss: 'softmaxCrossEntropy',
      epochs: 5,
      batchSize: 20,
      callbacks: [
        saver,
        guard,
        { name: 'lossRecorder', onBatchEnd: (_logs, context) => void losses.push(context.batchLoss) },
      ],
    });
    const firstBad = losses.findIndex((loss) => !Number.isFinite(loss)) + 1;
    expect(firstBad).toBeGreaterThan(0);
    expect(guard.stoppedAtStep).toBe(firstBad);
    expect(losses).toHaveLength(firstBad);
    expect(history.stopReason).toMatch(
      new RegExp(`^loss became (NaN|Infinity) at step ${firstBad} \\(epoch 1, batch ${firstBad}\\)`),
    );
    expect(history.epochs).toHaveLength(0);
    // Every checkpoint kept holds finite weights and was taken before the divergence.
    const last = store.get(store.latest()!)!;
    expect(last.step).toBeLessThan(firstBad);
    for (const [name, tensor] of Object.entries(last.tensors)) {
      if (name.startsWith('model.')) for (const value of tensor.data) expect(Number.isFinite(value)).toBe(true);
    }
  });
});
