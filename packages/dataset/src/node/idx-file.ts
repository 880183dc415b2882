import type { Tensor } from '@annet/tensor';
import { checkOptionNames } from '../readers/check-options.js';
import { decodeIdx, idxDeclaredSize, idxOptionNames, type IdxOptions } from '../readers/idx.js';
import { boundedGunzip, fileSource, readFileBytes } from './files.js';

/**
 * Reads an IDX file (MNIST's format), plain or gzip-compressed, into a tensor with the file's
 * dimensions; a gzip stream is never inflated past the size its IDX header declares. Errors
 * name the file.
 *
 * @example
 * const images = await readIdxFile('train-images-idx3-ubyte.gz', { dtype: 'float32', scale: 1 / 255 });
 * const labels = await readIdxFile('train-labels-idx1-ubyte.gz', { numClasses: 10 });
 */
export async function readIdxFile(path: string, options: IdxOptions = {}): Promise<Tensor> {
  checkOptionNames(options, idxOptionNames, 'readIdx');
  const source = fileSource(path, options);
  // Inflation is bounded by the size the IDX header declares.
  const inflate = (bytes: Uint8Array) =>
    boundedGunzip(bytes, 'readIdx', source, (head) => idxDeclaredSize(head, source), 'its IDX header');
  return decodeIdx(await readFileBytes(path, 'readIdx', source, inflate), { ...options, source });
}
