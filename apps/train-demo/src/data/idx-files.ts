import fs from 'node:fs';
import path from 'node:path';
import { readIdxFile } from '@annet/dataset/node';
import { formatShape } from '@annet/tensor';
import { RuntimeError } from '../errors.js';
import type { LabelledImages } from './labelled-images.js';

/**
 * The four standard MNIST files, without the optional `.gz`.
 *
 * @example
 * path.join(folder, `${idxFileNames.testLabels}.gz`); // .../t10k-labels-idx1-ubyte.gz
 */
export const idxFileNames = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * Training and test digits read from IDX files.
 *
 * @example
 * const { train, test, files }: IdxData = await readIdxFolder('/data/mnist');
 */
export interface IdxData {
  readonly train: LabelledImages;
  readonly test: LabelledImages;
  /** The files read, in the order train images, train labels, test images, test labels. */
  readonly files: readonly string[];
}

/**
 * Reads the four MNIST IDX files from `folder` (each plain or `.gz`), with pixels scaled to [0, 1].
 * Every problem (a missing file, a corrupt one, images and labels that do not pair up) is a
 * {@link RuntimeError} naming the file.
 *
 * @example
 * const { train, test } = await readIdxFolder('/data/mnist');
 */
export async function readIdxFolder(folder: string): Promise<IdxData> {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
    throw new RuntimeError(`--data ${folder}: no such folder`);
  const files = Object.values(idxFileNames).map((name) => locate(folder, name));
  const [trainImages, trainLabels, testImages, testLabels] = files;
  const train = await readPair(trainImages, trainLabels);
  const test = await readPair(testImages, testLabels);
  return { train, test, files };
}

function locate(folder: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const file = path.join(folder, candidate);
    if (fs.existsSync(file)) return file;
  }
  throw new RuntimeError(
    `--data ${folder}: missing ${name} (or ${name}.gz); the folder needs ${Object.values(idxFileNames).join(', ')}`,
  );
}

async function readPair(imageFile: string, labelFile: string): Promise<LabelledImages> {
  const images = await readOrFail(imageFile, { dtype: 'float32', scale: 1 / 255 });
  const labels = await readOrFail(labelFile, { numClasses: 10 });
  if (images.rank !== 3)
    throw new RuntimeError(
      `${imageFile}: expected images of shape [count,rows,columns], found ${formatShape(images.shape)}`,
    );
  if (labels.rank !== 1)
    throw new RuntimeError(`${labelFile}: expected labels of shape [count], found ${formatShape(labels.shape)}`);
  if (images.shape[0] !== labels.shape[0]) {
    throw new RuntimeError(
      `${imageFile} holds ${images.shape[0]} images but ${labelFile} holds ${labels.shape[0]} labels; they must pair up`,
    );
  }
  const [count, rows, columns] = images.shape;
  const flatImages = images.contiguous().data as Float32Array;
  const flatLabels = labels.contiguous().data;
  return {
    images: flatImages,
    labels: flatLabels instanceof Int32Array ? flatLabels : Int32Array.from(flatLabels),
    count,
    rows,
    columns,
  };
}

async function readOrFail(file: string, options: Parameters<typeof readIdxFile>[1]) {
  try {
    return await readIdxFile(file, options);
  } catch (error) {
    const message = (error as Error).message;
    throw new RuntimeError(message.includes(file) ? message : `${file}: ${message}`);
  }
}
