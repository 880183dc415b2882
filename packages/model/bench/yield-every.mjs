// What yielding costs and buys, in Node (a stand-in for a page: a 1 ms interval timer plays the
// page's timers and frames). For each yieldEvery policy: samples/s of a fit, timer ticks during
// it, and the longest gap between ticks. Then the cost of one yield per mechanism.
// Run after `pnpm build`: node bench/yield-every.mjs
import { Dense, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { createRng, Tensor } from '@annet/tensor';
import { EventLoopYielder, Sequential } from '../dist/index.js';

const samples = 4096;
const rng = createRng(1);
const inputs = new Tensor(
  Float32Array.from({ length: samples * 784 }, () => rng.uniform(0, 1)),
  [samples, 784],
);
const targets = new Tensor(
  Int32Array.from({ length: samples }, (_, index) => index % 10),
  [samples],
);

async function run(yieldEvery) {
  const model = new Sequential([new Dense(784, 128), new ReLU(), new Dense(128, 10)], { inputShape: [784] }).initialize(
    1,
  );
  let ticks = 0;
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, 1);
  const start = performance.now();
  last = start;
  await model.fit(
    { inputs, targets },
    { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 2, batchSize: 64, yieldEvery },
  );
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  return {
    yieldEvery: JSON.stringify(yieldEvery),
    samplesPerSecond: Math.round((2 * samples) / seconds),
    ticks,
    longestGapMs: Math.round(longest),
  };
}

await run('never'); // warm-up
const rows = [];
for (const policy of ['never', { batches: 8 }, 20, 'batch']) rows.push(await run(policy));
console.table(rows);

const costs = [];
for (const mechanism of ['set-immediate', 'message-channel', 'timeout']) {
  const yielder = new EventLoopYielder(mechanism);
  const count = 500;
  const start = performance.now();
  for (let index = 0; index < count; index++) await yielder.yield();
  yielder.close();
  costs.push({ mechanism, microsecondsPerYield: Math.round(((performance.now() - start) * 1000) / count) });
}
console.table(costs);
