import { Dense } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { ProgressBar } from './progress-bar.js';
import { formatDuration, formatProgressLine } from './progress-format.js';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, output: { isTTY, columns: 160, write: (text: string) => void writes.push(text) } };
}

async function fitWith(bar: ProgressBar) {
  const model = new Sequential([new Dense(4, 3)]).initialize(1);
  await model.fit(blobs(96), {
    optimizer: new Adam(),
    loss: 'softmaxCrossEntropy',
    epochs: 2,
    batchSize: 16,
    metrics: ['accuracy'],
    validationSplit: 0.25,
    callbacks: [bar],
  });
}

describe('ProgressBar', () => {
  it('writes one line per epoch, with validation figures, when the output is not a terminal', async () => {
    const { writes, output } = recorder(false);
    await fitWith(new ProgressBar({ output }));
    const lines = writes
      .join('')
      .split('\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^Epoch 1\/2  72\/72  loss \d\.\d{4}  accuracy \d\.\d{4}  validationLoss \d\.\d{4}  validationAccuracy \d\.\d{4}  lr 0\.001  \d+ samples\/s  \d/,
    );
    expect(writes.join('')).not.toContain('\r');
  });
  it('redraws a live bar in place on a terminal, at most once per refresh interval', async () => {
    const { writes, output } = recorder(true);
    let clock = 0;
    // Each reading of the clock advances it 30 ms, so a 100 ms refresh draws every few batches.
    await fitWith(new ProgressBar({ output, now: () => (clock += 30), refreshMilliseconds: 100 }));
    const live = writes.filter((text) => text.startsWith('\r') && text.includes('ETA'));
    expect(live.length).toBeGreaterThan(0);
    expect(live.length).toBeLessThan(10);
    expect(live[0]).toMatch(/\r\s*Epoch 1\/2 +\d+\/72 \[=*>?\.*\]  loss/);
    expect(writes.join('').match(/\n/g)).toHaveLength(2);
  });
});

describe('formatProgressLine', () => {
  it('shows the bar, the figures, the speed and an ETA of (total − done) / speed (hand-derived)', () => {
    // 50 of 100 done at 25 samples/s: 50 left take 2 s.
    expect(
      formatProgressLine({
        epoch: 1,
        epochs: 2,
        done: 50,
        total: 100,
        elapsedSeconds: 2,
        samplesPerSecond: 25,
        logs: { loss: 0.5 },
        barWidth: 10,
        finished: false,
      }),
    ).toBe('Epoch 1/2   50/100 [=====>....]  loss 0.5000  25 samples/s  ETA 2.0s');
  });
  it('shows done/? without a bar or ETA while a stream epoch has no known total', () => {
    expect(
      formatProgressLine({
        epoch: 1,
        epochs: 2,
        done: 48,
        total: Number.NaN,
        elapsedSeconds: 2,
        samplesPerSecond: 24,
        logs: { loss: 0.5 },
        barWidth: 10,
        finished: false,
      }),
    ).toBe('Epoch 1/2  48/?  loss 0.5000  24 samples/s  ETA ?');
  });
  it('formats durations as seconds, m:ss and h:mm:ss', () => {
    expect(formatDuration(4.25)).toBe('4.3s');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});
