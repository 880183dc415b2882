import { csvDataset, DataLoader } from '@annet/dataset';
import { Dense, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { loadCheckpointFrom, MemoryByteStore } from '@annet/serialization';
import { expect, it } from 'vitest';
import {
  byteCheckpointStore,
  ModelCheckpoint,
  ProgressReporter,
  Sequential,
  type Callback,
  type FitProgress,
} from './index.js';

// The README's browser example, line for line, except: the CSV text is made here, postMessage
// collects into an array, and a callback presses Stop during step 12.
it('runs the README browser example: a CSV File streamed, stopped, saved and resumed', async () => {
  const csvText = `a,b,c,d,label\n${Array.from({ length: 96 }, (_, row) => `${Math.sin(row)},${Math.cos(row)},${row % 7},${(row * 3) % 5},${row % 3}`).join('\n')}\n`;
  const messages: FitProgress[] = [];
  const postMessage = (progress: FitProgress) => void messages.push(structuredClone(progress));

  const file = new File([csvText], 'points.csv'); // in a page: fileInput.files[0]
  const rows = () =>
    new DataLoader(
      csvDataset(() => file, { label: 'label', numClasses: 3 }),
      { batchSize: 32, shuffle: true, shuffleBufferSize: 256, seed: 1 },
    );
  const store = new MemoryByteStore(); // in a browser: await openIndexedDbStore()
  const stop = new AbortController(); // a Stop button calls stop.abort()
  const model = () =>
    new Sequential([new Dense(4, 16), new ReLU(), new Dense(16, 3)], { inputShape: [4] }).initialize(1);
  const options = {
    optimizer: new Adam(),
    loss: 'softmaxCrossEntropy',
    epochs: 5,
    metrics: ['accuracy'],
    yieldEvery: { batches: 8 },
  } as const;
  const saver = new ModelCheckpoint({ store: byteCheckpointStore(store, () => 'latest.ckpt') });
  const pressStop: Callback = {
    name: 'pressStop',
    onBatchEnd: (_logs, context) => (context.step === 12 ? stop.abort() : undefined),
  };

  const first = await model().fit(rows(), {
    ...options,
    signal: stop.signal,
    callbacks: [pressStop, new ProgressReporter((progress) => postMessage(progress)), saver],
  });
  expect(first.stopReason).toMatch(/^aborted at step 12 \(epoch 4, batch 3\)/);
  const resumed = model();
  await resumed.fit(rows(), {
    ...options,
    optimizer: new Adam(),
    resumeFrom: await loadCheckpointFrom(store, 'latest.ckpt'),
    callbacks: [saver],
  });

  const straight = model();
  await straight.fit(rows(), { ...options, optimizer: new Adam() });
  expect(resumed.parameters().map((parameter) => Array.from(parameter.value))).toEqual(
    straight.parameters().map((parameter) => Array.from(parameter.value)),
  );
  expect(messages.at(-1)).toMatchObject({ phase: 'end', aborted: true, step: 12 });
});
