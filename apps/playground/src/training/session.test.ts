import type { Checkpoint } from '@annet/serialization';
import { describe, expect, it } from 'vitest';
import { readMnistPackage } from '../data/mnist-package.js';
import { RunControl } from './run-control.js';
import { TrainingSession } from './session.js';
import { defaultSettings, type TrainingSettings } from './settings.js';

const digits = readMnistPackage();
const settings: TrainingSettings = {
  ...defaultSettings,
  epochs: 3,
  trainSamples: 600,
  validationSamples: 200,
  batchSize: 50,
};

/** All parameters' bytes, in order, so that equality is bit equality (-0 and 0, NaN payloads). */
function weightBytes(session: TrainingSession): Buffer {
  return Buffer.concat(
    session.model.parameters().map((parameter) => Buffer.from(Float32Array.from(parameter.value).buffer)),
  );
}

describe('TrainingSession', () => {
  it('trains the MLP: the loss falls from epoch to epoch', async () => {
    const { history } = await new TrainingSession(settings, digits).train();
    const losses = history.values('loss');
    expect(losses).toHaveLength(3);
    expect(losses[2]).toBeLessThan(losses[0]);
    expect(history.values('validationAccuracy')[2]).toBeGreaterThan(0.6);
  });

  it('pauses after an epoch, and a checkpoint taken there resumes to the same weights bit for bit', async () => {
    const straight = new TrainingSession(settings, digits);
    await straight.train();

    const first = new TrainingSession(settings, digits);
    let checkpoint: Checkpoint | null = null;
    const control = new RunControl(() => {
      checkpoint = control.checkpoint();
      control.stop();
    });
    control.pauseAfterEpoch = 2;
    const stopped = await first.train({ control });
    expect(stopped.history.epochs).toHaveLength(2);
    expect(checkpoint!.epoch).toBe(2);

    const afterTwoEpochs = weightBytes(first);
    const second = new TrainingSession(settings, digits);
    await second.train({ resumeFrom: checkpoint! });
    expect(weightBytes(second).equals(weightBytes(straight))).toBe(true);
    expect(weightBytes(second).equals(afterTwoEpochs)).toBe(false);
  });

  it("stopped mid-epoch, ends with a checkpoint there that resumes to the straight run's weights bit for bit", async () => {
    const straight = new TrainingSession(settings, digits);
    await straight.train();

    const first = new TrainingSession(settings, digits);
    // Paused after epoch 1, continued for one batch, paused again, stopped: the abort lands after
    // batch 1 of epoch 2 (12 batches an epoch, so step 13), where the library's saver takes the checkpoint.
    const control = new RunControl((where) => {
      if (where.at === 'batch') return control.stop();
      control.resume();
      control.pause();
    });
    control.pauseAfterEpoch = 1;
    const stopped = await first.train({ control });
    expect(stopped.stopReason).toBe('aborted at step 13 (epoch 2, batch 1): stopped by the user');
    const checkpoint = stopped.checkpoint!;
    expect((checkpoint.extra as { training: { midEpoch: boolean } }).training.midEpoch).toBe(true);
    expect(checkpoint.step).toBe(13);

    const second = new TrainingSession(settings, digits);
    const resumed = await second.train({ resumeFrom: checkpoint });
    expect(resumed.history.epochs).toHaveLength(3);
    expect(weightBytes(second).equals(weightBytes(straight))).toBe(true);
  });
});
