import { describe, expect, it } from 'vitest';
import { readMnistPackage } from '../data/mnist-package.js';
import { RunControl } from './run-control.js';
import { TrainingSession } from './session.js';
import { defaultSettings, type TrainingSettings } from './settings.js';

const digits = readMnistPackage();
const settings: TrainingSettings = { ...defaultSettings, epochs: 3, trainSamples: 600, validationSamples: 200, batchSize: 50 };

/** Every parameter's bytes, so that equality is bit equality (-0 and 0, NaN payloads). */
function weightBytes(session: TrainingSession): Uint8Array[] {
  return session.model.parameters().map((parameter) => new Uint8Array(Float32Array.from(parameter.value).buffer));
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
    const control = new RunControl();
    control.pauseAfterEpoch = 2;
    let checkpoint = null as ReturnType<RunControl['checkpoint']>;
    const paused = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (!control.paused) return;
        clearInterval(timer);
        checkpoint = control.checkpoint();
        control.stop();
        resolve();
      }, 1);
    });
    const stopped = await first.train({ control });
    await paused;
    expect(stopped.history.epochs).toHaveLength(2);
    expect(checkpoint!.epoch).toBe(2);

    const afterTwoEpochs = weightBytes(first);
    const second = new TrainingSession(settings, digits);
    await second.train({ resumeFrom: checkpoint! });
    expect(weightBytes(second)).toEqual(weightBytes(straight));
    expect(weightBytes(second)).not.toEqual(afterTwoEpochs);
  });
});
