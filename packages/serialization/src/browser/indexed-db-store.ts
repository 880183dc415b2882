import { AnnetError } from '@annet/tensor';
import { checkBytes, checkEntryName, type ByteStore } from './byte-store.js';

/**
 * Options of {@link openIndexedDbStore}.
 *
 * @example
 * await openIndexedDbStore({ database: 'my-app', objectStore: 'checkpoints' });
 */
export interface IndexedDbStoreOptions {
  /** Database name; default `annet`. */
  readonly database?: string;
  /** Object store inside it; default `checkpoints`. */
  readonly objectStore?: string;
  /** The IndexedDB factory; default `globalThis.indexedDB` (pass `fake-indexeddb`'s in Node tests). */
  readonly indexedDB?: IDBFactory;
}

/** One stored entry: the bytes and their length, kept together in one record so they change together. */
interface StoredEntry {
  readonly bytes: ArrayBuffer;
  readonly byteLength: number;
}

/**
 * Opens (creating when needed) a {@link ByteStore} in IndexedDB, in a page or a worker.
 *
 * @example
 * const store = await openIndexedDbStore({ database: 'annet-playground' });
 * await store.write('latest.ckpt', encodeCheckpoint(checkpoint));
 * const restored = decodeCheckpoint(await store.read('latest.ckpt'));
 */
export async function openIndexedDbStore(options: IndexedDbStoreOptions = {}): Promise<IndexedDbStore> {
  const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  const database = options.database ?? 'annet';
  const objectStore = options.objectStore ?? 'checkpoints';
  if (factory === undefined || typeof factory.open !== 'function') {
    throw new AnnetError(
      'UNSUPPORTED',
      'openIndexedDbStore',
      'there is no IndexedDB here (globalThis.indexedDB is undefined); in Node pass { indexedDB } from a package such as fake-indexeddb, or save checkpoints to files with @annet/serialization/node',
    );
  }
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(database);
    request.onupgradeneeded = () => request.result.createObjectStore(objectStore);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(failure('openIndexedDbStore', `cannot open database ${JSON.stringify(database)}`, request.error));
    request.onblocked = () =>
      reject(
        failure(
          'openIndexedDbStore',
          `database ${JSON.stringify(database)} is held open at an older version by another tab`,
          null,
        ),
      );
  });
  if (db.objectStoreNames.contains(objectStore)) return new IndexedDbStore(db, objectStore);
  // The database exists without this object store: add it in a version upgrade.
  const version = db.version + 1;
  db.close();
  const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(database, version);
    request.onupgradeneeded = () => request.result.createObjectStore(objectStore);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(failure('openIndexedDbStore', `cannot add object store ${JSON.stringify(objectStore)}`, request.error));
  });
  return new IndexedDbStore(upgraded, objectStore);
}

/**
 * A {@link ByteStore} in one IndexedDB object store. Every write is one `readwrite` transaction
 * (with `durability: 'strict'` where the browser supports the hint) that resolves only when the
 * transaction has committed; a transaction that fails or aborts (quota exceeded, the tab closed)
 * changes nothing, so the previous bytes under the name stay readable. The bytes are copied
 * into the record, so later changes to the array do not reach the store.
 *
 * @example
 * const store = await openIndexedDbStore();
 * await store.list(); // ['latest.ckpt']
 */
export class IndexedDbStore implements ByteStore {
  constructor(
    private readonly db: IDBDatabase,
    readonly objectStore: string,
  ) {}

  async write(name: string, bytes: Uint8Array): Promise<void> {
    checkEntryName(name, 'IndexedDbStore.write');
    checkBytes(bytes, 'IndexedDbStore.write');
    const entry: StoredEntry = { bytes: bytes.slice().buffer, byteLength: bytes.byteLength };
    await this.transact('readwrite', 'IndexedDbStore.write', name, (store) => store.put(entry, name));
  }

  async read(name: string): Promise<Uint8Array> {
    checkEntryName(name, 'IndexedDbStore.read');
    const entry = (await this.transact('readonly', 'IndexedDbStore.read', name, (store) => store.get(name))) as
      StoredEntry | undefined;
    if (entry === undefined)
      throw new AnnetError(
        'NOT_FOUND',
        'IndexedDbStore.read',
        `no entry named ${JSON.stringify(name)} in object store ${JSON.stringify(this.objectStore)}`,
      );
    const bytes = new Uint8Array(entry.bytes);
    if (bytes.byteLength !== entry.byteLength) {
      throw new AnnetError(
        'PARSE_ERROR',
        'IndexedDbStore.read',
        `entry ${JSON.stringify(name)} holds ${bytes.byteLength} bytes but recorded ${entry.byteLength}`,
      );
    }
    return bytes;
  }

  async list(): Promise<string[]> {
    const keys = (await this.transact('readonly', 'IndexedDbStore.list', '', (store) =>
      store.getAllKeys(),
    )) as IDBValidKey[];
    return keys.filter((key): key is string => typeof key === 'string').sort();
  }

  async delete(name: string): Promise<void> {
    checkEntryName(name, 'IndexedDbStore.delete');
    await this.transact('readwrite', 'IndexedDbStore.delete', name, (store) => store.delete(name));
  }

  /** Closes the database connection; the store cannot be used afterwards. */
  close(): void {
    this.db.close();
  }

  /** Runs one request in its own transaction and resolves with its result once the transaction has completed. */
  private transact(
    mode: IDBTransactionMode,
    operation: string,
    name: string,
    request: (store: IDBObjectStore) => IDBRequest,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let transaction: IDBTransaction;
      try {
        transaction = (
          this.db.transaction as (
            names: string,
            mode: IDBTransactionMode,
            options?: { durability: string },
          ) => IDBTransaction
        )(this.objectStore, mode, { durability: 'strict' });
      } catch (error) {
        reject(failure(operation, `cannot start a transaction on ${JSON.stringify(this.objectStore)}`, error));
        return;
      }
      const pending = request(transaction.objectStore(this.objectStore));
      const where = name === '' ? '' : ` for ${JSON.stringify(name)}`;
      transaction.oncomplete = () => resolve(pending.result);
      transaction.onerror = () =>
        reject(
          failure(operation, `the transaction failed${where}; nothing was changed`, transaction.error ?? pending.error),
        );
      transaction.onabort = () =>
        reject(failure(operation, `the transaction was aborted${where}; nothing was changed`, transaction.error));
    });
  }
}

function failure(operation: string, detail: string, cause: unknown): AnnetError {
  const reason =
    cause instanceof Error || (typeof cause === 'object' && cause !== null && 'message' in cause)
      ? `: ${(cause as { name?: string }).name ?? 'Error'}: ${(cause as { message: string }).message}`
      : '';
  return new AnnetError('IO_ERROR', operation, `${detail}${reason}`, { cause });
}
