import { AnnetError } from '@annet/tensor';

/**
 * Named byte blobs somewhere a browser can keep them (IndexedDB, memory): what checkpoint saving
 * needs, and nothing more. A write replaces the named entry as a whole or, when it fails, leaves
 * the previous bytes under that name untouched.
 *
 * @example
 * const store: ByteStore = await openIndexedDbStore({ database: 'annet-playground' });
 * await store.write('latest.ckpt', bytes);
 */
export interface ByteStore {
  /** Stores `bytes` under `name`, replacing what was there only once the write has fully succeeded. */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored under `name`; an AnnetError with code `NOT_FOUND` when there are none. */
  read(name: string): Promise<Uint8Array>;
  /** Stored names, sorted. */
  list(): Promise<string[]>;
  /** Removes `name` (nothing happens when it is absent). */
  delete(name: string): Promise<void>;
}

/**
 * Checks a store entry's name: a non-empty string of at most 1024 characters.
 *
 * @example
 * checkEntryName('latest.ckpt', 'IndexedDbStore.write');
 */
export function checkEntryName(name: string, operation: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 1024) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a name of 1 to 1024 characters, got ${typeof name === 'string' ? `${name.length} characters` : String(name)}`,
    );
  }
}

/**
 * Checks that `bytes` is a `Uint8Array` (what checkpoint encoders return).
 *
 * @example
 * checkBytes(encodeCheckpoint(checkpoint), 'IndexedDbStore.write');
 */
export function checkBytes(bytes: Uint8Array, operation: string): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected the bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  }
}

/**
 * A {@link ByteStore} in memory (a `Map`), for tests and as a fallback where IndexedDB is missing
 * (some private windows). Writes copy the bytes.
 *
 * @example
 * const store = new MemoryByteStore();
 * await store.write('a', new Uint8Array([1, 2]));
 */
export class MemoryByteStore implements ByteStore {
  private readonly entries = new Map<string, Uint8Array>();

  async write(name: string, bytes: Uint8Array): Promise<void> {
    checkEntryName(name, 'MemoryByteStore.write');
    checkBytes(bytes, 'MemoryByteStore.write');
    this.entries.set(name, bytes.slice());
  }

  async read(name: string): Promise<Uint8Array> {
    const bytes = this.entries.get(name);
    if (bytes === undefined)
      throw new AnnetError('NOT_FOUND', 'MemoryByteStore.read', `no entry named ${JSON.stringify(name)}`);
    return bytes.slice();
  }

  async list(): Promise<string[]> {
    return [...this.entries.keys()].sort();
  }

  async delete(name: string): Promise<void> {
    this.entries.delete(name);
  }
}
