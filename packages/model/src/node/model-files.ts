import { readFile } from 'node:fs/promises';
import type { LayerRegistry } from '@annet/layers';
import { writeFileAtomic } from '@annet/serialization/node';
import { AnnetError } from '@annet/tensor';
import { loadModel, saveModel, type SavedModel } from '../saving/model-file.js';

/**
 * Writes {@link saveModel}'s bytes to `file` atomically (temporary file, fsync, rename): a crash
 * leaves the previous file or the new one, never a partial one.
 *
 * @example
 * await saveModelFile('digits.safetensors', model);
 */
export async function saveModelFile(file: string, model: SavedModel): Promise<void> {
  await writeFileAtomic(file, saveModel(model), { operation: 'saveModelFile' });
}

/**
 * Reads a model file (or a training checkpoint) and rebuilds the model through `registry`, as
 * {@link loadModel} does for bytes.
 *
 * @example
 * const model = await loadModelFile('digits.safetensors', { Dense, ReLU });
 */
export async function loadModelFile(file: string, registry: LayerRegistry): Promise<SavedModel> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
    throw new AnnetError(code, 'loadModelFile', `${file}: ${(error as Error).message}`, { cause: error });
  }
  return loadModel(bytes, registry, { source: file });
}
