// Samples per second through a shuffling DataLoader over an in-memory MNIST-sized set
// (60,000 × 784 float32, int32 labels) at batch size 64. Target: at least 200,000 samples/s.
import { Tensor, createRng } from '@annet/tensor';
import { DataLoader } from '../src/loader/data-loader.js';
import { TensorDataset } from '../src/datasets/tensor-dataset.js';
import { formatNumber, median, printTable } from './report.js';

const samples = 60_000;
const features = 784;
const batchSize = 64;
const rng = createRng(1);
const images = new Float32Array(samples * features);
for (let index = 0; index < images.length; index++) images[index] = rng.uniform();
const labels = new Int32Array(samples);
for (let index = 0; index < samples; index++) labels[index] = rng.randint(0, 10);
const dataset = new TensorDataset(new Tensor(images, [samples, features]), labels);

/** Runs whole epochs and returns samples per second per epoch (a checksum keeps the work observable). */
async function measure(
  label: string,
  options: { reuseBuffers?: boolean; asynchronous?: boolean },
  epochs = 4,
): Promise<string[]> {
  const loader = new DataLoader(dataset, { batchSize, shuffle: true, seed: 7, reuseBuffers: options.reuseBuffers });
  const rates: number[] = [];
  let checksum = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const start = performance.now();
    let seen = 0;
    if (options.asynchronous) {
      for await (const batch of loader) {
        seen += batch.inputs.shape[0];
        checksum += batch.inputs.data[0] + batch.targets.data[0];
      }
    } else {
      for (const batch of loader) {
        seen += batch.inputs.shape[0];
        checksum += batch.inputs.data[0] + batch.targets.data[0];
      }
    }
    rates.push(seen / ((performance.now() - start) / 1000));
  }
  const steady = rates.slice(1); // the first epoch warms the JIT up
  return [
    label,
    formatNumber(median(steady)),
    formatNumber(Math.min(...steady)),
    formatNumber(Math.max(...steady)),
    String(Math.round(checksum) % 1000),
  ];
}

const rows = [
  await measure('for...of, fresh batch arrays', {}),
  await measure('for...of, reuseBuffers', { reuseBuffers: true }),
  await measure('for await (prefetch 2), fresh arrays', { asynchronous: true }),
  await measure('for await (prefetch 2), reuseBuffers', { asynchronous: true, reuseBuffers: true }),
];
console.log(
  `\nDataLoader: ${formatNumber(samples)} × ${features} float32, batch ${batchSize}, shuffle (median of 3 epochs after 1 warm-up; target >= 200,000 samples/s)\n`,
);
printTable(['path', 'samples/s (median)', 'min', 'max', 'checksum'], rows);
