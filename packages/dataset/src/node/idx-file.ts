import type { Tensor } from '@annet/tensor';
import { decodeIdx, type IdxOptions } from '../readers/idx.js';
import { fileSource, readFileBytes } from './files.js';

/**
 * Reads an IDX file (MNIST's format), plain or gzip-compressed (node:zlib), into a tensor with
 * the file's dimensions. Errors name the file.
 *
 * @example
 * const images = await readIdxFile('train-images-idx3-ubyte.gz', { dtype: 'float32', scale: 1 / 255 });
 * const labels = await readIdxFile('train-labels-idx1-ubyte.gz', { numClasses: 10 });
 */
export async function readIdxFile(path: string, options: IdxOptions = {}): Promise<Tensor> {
  const source = fileSource(path, options);
  return decodeIdx(await readFileBytes(path, 'readIdx', source), { ...options, source });
}
