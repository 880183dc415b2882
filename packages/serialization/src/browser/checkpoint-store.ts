import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { decodeCheckpoint } from '../checkpoint/decode.js';
import { encodeCheckpoint } from '../checkpoint/encode.js';
import type { ByteStore } from './byte-store.js';
import { downloadBytes, type DownloadOptions } from './download.js';
import { readBytes, type ByteSource } from './read-bytes.js';

/**
 * Encodes `checkpoint` (safetensors with checksums) and writes it to `store` under `name`; a
 * failed write leaves the previous checkpoint of that name in place.
 *
 * @example
 * await saveCheckpointTo(await openIndexedDbStore(), 'latest.ckpt', context.checkpoint());
 */
export async function saveCheckpointTo(
  store: Pick<ByteStore, 'write'>,
  name: string,
  checkpoint: Checkpoint,
): Promise<void> {
  await store.write(name, encodeCheckpoint(checkpoint));
}

/**
 * Reads the checkpoint stored under `name` and decodes it, verifying every checksum (a damaged
 * entry is refused, never half-loaded).
 *
 * @example
 * const checkpoint = await loadCheckpointFrom(await openIndexedDbStore(), 'latest.ckpt');
 */
export async function loadCheckpointFrom(store: Pick<ByteStore, 'read'>, name: string): Promise<Checkpoint> {
  return decodeCheckpoint(await store.read(name), { source: name });
}

/**
 * Offers a checkpoint as a file download (see {@link downloadBytes}).
 *
 * @example
 * downloadCheckpoint('run.ckpt', context.checkpoint());
 */
export function downloadCheckpoint(name: string, checkpoint: Checkpoint, options: DownloadOptions = {}): void {
  downloadBytes(name, encodeCheckpoint(checkpoint), options);
}

/**
 * Decodes a checkpoint from a `File` the user picked (or a `Blob`, `Response`, stream or bytes),
 * verifying its checksums.
 *
 * @example
 * const checkpoint = await readCheckpoint(fileInput.files![0]);
 */
export async function readCheckpoint(source: ByteSource): Promise<Checkpoint> {
  const name = (source as { name?: unknown }).name;
  return decodeCheckpoint(await readBytes(source, 'readCheckpoint'), typeof name === 'string' ? { source: name } : {});
}
