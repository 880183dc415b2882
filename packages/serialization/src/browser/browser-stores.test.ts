import { resolveObjectURL } from 'node:buffer';
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../checkpoint/encode.js';
import { sampleCheckpoint } from '../checkpoint/test-checkpoints.js';
import { MemoryByteStore } from './byte-store.js';
import { downloadCheckpoint, loadCheckpointFrom, readCheckpoint, saveCheckpointTo } from './checkpoint-store.js';
import { downloadBytes, downloadStore } from './download.js';
import { openIndexedDbStore } from './indexed-db-store.js';
import { readBytes } from './read-bytes.js';

// fake-indexeddb (a dev dependency) is a complete in-memory IndexedDB for Node; each test gets a fresh factory.
const bytes = (...values: number[]) => Uint8Array.from(values);

describe('the IndexedDB store', () => {
  it('writes, reads, lists and deletes bytes by name, and reopening the database finds them', async () => {
    const indexedDB = new IDBFactory();
    const store = await openIndexedDbStore({ indexedDB, database: 'test' });
    const written = bytes(1, 2, 3, 250);
    await store.write('b.ckpt', written);
    await store.write('a.ckpt', bytes(9));
    written[0] = 77; // the store copied the bytes
    expect(await store.read('b.ckpt')).toEqual(bytes(1, 2, 3, 250));
    expect(await store.list()).toEqual(['a.ckpt', 'b.ckpt']);
    await store.delete('a.ckpt');
    await store.delete('never-written');
    store.close();
    const reopened = await openIndexedDbStore({ indexedDB, database: 'test' });
    expect(await reopened.list()).toEqual(['b.ckpt']);
    await expect(reopened.read('a.ckpt')).rejects.toThrow(
      'IndexedDbStore.read: no entry named "a.ckpt" in object store "checkpoints"',
    );
    reopened.close();
  });

  it('a write whose transaction aborts rejects and leaves the previous bytes under the name', async () => {
    const store = await openIndexedDbStore({ indexedDB: new IDBFactory() });
    await store.write('latest.ckpt', bytes(1, 1, 1));
    const put = IDBObjectStore.prototype.put;
    // Abort after the put was issued, as a quota error or a closing tab does at commit.
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = put.apply(this, args);
      this.transaction.abort();
      return request;
    };
    try {
      await expect(store.write('latest.ckpt', bytes(2, 2, 2, 2))).rejects.toThrow(
        /^IndexedDbStore.write: the transaction (failed|was aborted) for "latest.ckpt"; nothing was changed/,
      );
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(await store.read('latest.ckpt')).toEqual(bytes(1, 1, 1));
    store.close();
  });

  it('adds its object store to an existing database of another app', async () => {
    const indexedDB = new IDBFactory();
    const first = await openIndexedDbStore({ indexedDB, database: 'shared', objectStore: 'one' });
    first.close();
    const second = await openIndexedDbStore({ indexedDB, database: 'shared', objectStore: 'two' });
    await second.write('x', bytes(5));
    expect(await second.list()).toEqual(['x']);
    second.close();
  });

  it('round-trips a checkpoint with its checksums, and refuses a damaged entry', async () => {
    const store = await openIndexedDbStore({ indexedDB: new IDBFactory() });
    const checkpoint = sampleCheckpoint(3);
    await saveCheckpointTo(store, 'run.ckpt', checkpoint);
    expect(encodeCheckpoint(await loadCheckpointFrom(store, 'run.ckpt'))).toEqual(encodeCheckpoint(checkpoint));
    const damaged = await store.read('run.ckpt');
    damaged[damaged.length - 3] ^= 0xff;
    await store.write('damaged.ckpt', damaged);
    await expect(loadCheckpointFrom(store, 'damaged.ckpt')).rejects.toThrow(/damaged\.ckpt/);
    store.close();
  });

  it('says what to do where there is no IndexedDB', async () => {
    await expect(openIndexedDbStore()).rejects.toThrow('openIndexedDbStore: there is no IndexedDB here');
    await expect(new MemoryByteStore().write('', bytes(1))).rejects.toThrow(
      'MemoryByteStore.write: expected a name of 1 to 1024 characters, got 0 characters',
    );
  });
});

describe('downloads and picked files', () => {
  /** A stand-in document whose anchors record what a click would download. */
  function fakeDocument() {
    const downloads: { name: string; blob: Blob }[] = [];
    const document = {
      createElement: () => {
        const anchor = {
          href: '',
          download: '',
          rel: '',
          click: () =>
            downloads.push({ name: anchor.download, blob: resolveObjectURL(anchor.href) as unknown as Blob }),
          remove: () => {},
        };
        return anchor;
      },
      body: { append: () => {} },
    };
    return { document: document as unknown as Document, downloads };
  }

  it('downloads a checkpoint as a file that readCheckpoint decodes to the same bytes', async () => {
    const { document, downloads } = fakeDocument();
    const checkpoint = sampleCheckpoint(5);
    downloadCheckpoint('run.ckpt', checkpoint, { document });
    expect(downloads.map((download) => download.name)).toEqual(['run.ckpt']);
    const file = new File([await downloads[0].blob.arrayBuffer()], 'run.ckpt');
    expect(encodeCheckpoint(await readCheckpoint(file))).toEqual(encodeCheckpoint(checkpoint));
  });

  it('downloadStore turns each write into a download and lists what it downloaded', async () => {
    const { document, downloads } = fakeDocument();
    const store = downloadStore({ document });
    await store.write('epoch-2.ckpt', bytes(2));
    await store.write('epoch-1.ckpt', bytes(1, 1));
    expect(downloads.map((download) => download.name)).toEqual(['epoch-2.ckpt', 'epoch-1.ckpt']);
    expect(new Uint8Array(await downloads[1].blob.arrayBuffer())).toEqual(bytes(1, 1));
    await store.delete('epoch-2.ckpt');
    expect(await store.list()).toEqual(['epoch-1.ckpt']);
  });

  it('refuses to download without a document (a worker), naming the way out', () => {
    expect(() => downloadBytes('a.bin', bytes(1))).toThrow(
      'downloadBytes: there is no document here (a worker or Node); send the bytes to the page with postMessage',
    );
  });

  it('readBytes reads a Blob, a Response, a ReadableStream of chunks and plain bytes alike', async () => {
    const expected = bytes(1, 2, 3, 4, 5);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(1, 2));
        controller.enqueue(bytes(3, 4, 5));
        controller.close();
      },
    });
    for (const source of [
      new Blob([expected]),
      new Response(expected),
      stream,
      expected.buffer.slice(0),
      new DataView(expected.buffer),
    ]) {
      expect(await readBytes(source)).toEqual(expected);
    }
    await expect(readBytes(new Response('gone', { status: 404, statusText: 'Not Found' }))).rejects.toThrow(
      'readBytes: the response has status 404 Not Found',
    );
    await expect(readBytes('text' as never)).rejects.toThrow(
      'readBytes: expected a Blob, File, Response, ReadableStream, ArrayBuffer or typed array, got [object String]',
    );
  });
});
