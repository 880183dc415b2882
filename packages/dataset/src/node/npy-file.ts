import type { Tensor } from '@annet/tensor';
import { checkOptionNames } from '../readers/check-options.js';
import { npyOptionNames, npzOptionNames, readNpy, readNpz, type NpyOptions, type NpzOptions } from '../readers/npy.js';
import { fileSource, readFileBytes } from './files.js';

/**
 * Reads an NPY file (`.gz` decompressed) into a tensor; see {@link readNpy}.
 *
 * @example
 * const weights = await readNpyFile('weights.npy');
 */
export async function readNpyFile(path: string, options: NpyOptions = {}): Promise<Tensor> {
  checkOptionNames(options, npyOptionNames, 'readNpy');
  const source = fileSource(path, options);
  return readNpy(await readFileBytes(path, 'readNpy', source), { ...options, source });
}

/**
 * Reads an NPZ archive into tensors keyed by member name; see {@link readNpz}.
 *
 * @example
 * const { x_train, y_train } = await readNpzFile('mnist.npz', { members: { x_train: { dtype: 'float32', scale: 1 / 255 } } });
 */
export async function readNpzFile(path: string, options: NpzOptions = {}): Promise<Record<string, Tensor>> {
  checkOptionNames(options, npzOptionNames, 'readNpz');
  const source = fileSource(path, options);
  return readNpz(await readFileBytes(path, 'readNpz', source), { ...options, source });
}
