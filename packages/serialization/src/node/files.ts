import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import {
  AnnetError,
  crc32,
  decodeNpy,
  decodeNpz,
  encodeNpy,
  encodeNpz,
  type NpyArray,
  type Tensor,
} from '@annet/tensor';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { decodeCheckpointWith } from '../checkpoint/decode.js';
import { encodeCheckpointWith } from '../checkpoint/encode.js';
import { writeFileAtomic } from './atomic-write.js';

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Versions to keep, the new one included (default 1). See `rotatedPath` for the names. */
  readonly keepLast?: number;
}

/** zlib's CRC-32 (Node 20.15+, native, several GB/s) when present; the same function in JavaScript otherwise. */
const dataCrc32: (bytes: Uint8Array) => number =
  typeof zlib.crc32 === 'function' ? (bytes) => zlib.crc32(bytes) : crc32;

async function read(file: string, operation: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
    throw new AnnetError(code, operation, `${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Encodes a checkpoint and writes it atomically (temporary file, fsync, rename, folder fsync):
 * if the process dies during the save, `file` still holds the previous complete checkpoint.
 * With `keepLast: n`, the n − 1 previous versions stay as `name.1.ext` (newest) … `name.<n−1>.ext`.
 *
 * @example
 * await saveCheckpoint('run/model.ckpt', checkpoint, { keepLast: 3 });
 */
export async function saveCheckpoint(
  file: string,
  checkpoint: Checkpoint,
  options: SaveCheckpointOptions = {},
): Promise<void> {
  await writeFileAtomic(file, encodeCheckpointWith(checkpoint, dataCrc32), {
    keepLast: options.keepLast,
    operation: 'saveCheckpoint',
  });
}

/**
 * Reads and decodes a checkpoint, verifying its checksums; every error names the file. A missing
 * file is an AnnetError with code `NOT_FOUND`.
 *
 * @example
 * const checkpoint = await loadCheckpoint('run/model.ckpt');
 */
export async function loadCheckpoint(file: string): Promise<Checkpoint> {
  return decodeCheckpointWith(await read(file, 'loadCheckpoint'), { source: file }, dataCrc32);
}

/**
 * Writes one array as an NPY file (atomically), readable by `numpy.load`.
 *
 * @example
 * await saveNpy('weights.npy', tensor([[1, 2], [3, 4]]));
 */
export async function saveNpy(file: string, array: Tensor | NpyArray): Promise<void> {
  await writeFileAtomic(file, encodeNpy(array), { operation: 'saveNpy' });
}

/**
 * Reads an NPY file into a tensor (see `decodeNpy` for the dtypes it accepts).
 *
 * @example
 * const weights = await loadNpy('weights.npy');
 */
export async function loadNpy(file: string): Promise<Tensor> {
  return decodeNpy(await read(file, 'loadNpy'), file);
}

/**
 * Writes named arrays as an NPZ file (atomically), readable by `numpy.load`.
 *
 * @example
 * await saveNpz('layer.npz', { weights, bias });
 */
export async function saveNpz(file: string, arrays: Readonly<Record<string, Tensor | NpyArray>>): Promise<void> {
  await writeFileAtomic(file, encodeNpz(arrays), { operation: 'saveNpz' });
}

/**
 * Reads an NPZ file (from `numpy.savez` or `numpy.savez_compressed`) into tensors by name.
 *
 * @example
 * const { weights, bias } = await loadNpz('layer.npz');
 */
export async function loadNpz(file: string): Promise<Record<string, Tensor>> {
  return decodeNpz(await read(file, 'loadNpz'), file);
}
