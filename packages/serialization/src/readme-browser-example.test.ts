import { resolveObjectURL } from 'node:buffer';
import { tensor } from '@annet/tensor';
import { IDBFactory } from 'fake-indexeddb';
import { expect, it } from 'vitest';
import {
  downloadCheckpoint,
  encodeCheckpoint,
  loadCheckpointFrom,
  openIndexedDbStore,
  readCheckpoint,
  saveCheckpointTo,
  type Checkpoint,
} from './index.js';

// The README's browser example, line for line, except: IndexedDB is fake-indexeddb, the page's
// document is a stand-in whose anchor keeps the blob, and the "picked" file is that blob.
it('runs the README browser example: IndexedDB, download, upload', async () => {
  const downloads: Blob[] = [];
  const document = {
    createElement: () => {
      const anchor = {
        href: '',
        download: '',
        rel: '',
        click: () => void downloads.push(resolveObjectURL(anchor.href) as unknown as Blob),
      };
      return anchor;
    },
  } as unknown as Document;
  const indexedDB = new IDBFactory();

  const checkpoint: Checkpoint = {
    format: 'annet-checkpoint',
    formatVersion: 1,
    annetVersion: '0.1.0',
    tensors: {
      'model.dense_1.weights': tensor([
        [1, 2],
        [3, 4],
      ]),
    },
    architecture: { className: 'Sequential', layers: [] },
    optimizer: null,
    schedule: null,
    rng: {},
    dataLoader: null,
    epoch: 1,
    step: 10,
    history: {},
  };
  const store = await openIndexedDbStore({ database: 'my-app', indexedDB }); // in a page or a worker
  await saveCheckpointTo(store, 'latest.ckpt', checkpoint);
  expect(await store.list()).toEqual(['latest.ckpt']);
  const again = await loadCheckpointFrom(store, 'latest.ckpt'); // checksums verified
  downloadCheckpoint('run.ckpt', again, { document }); // in a page: the browser saves run.ckpt
  const fileInput = { files: [new File([await downloads[0].arrayBuffer()], 'run.ckpt')] };
  const picked = await readCheckpoint(fileInput.files[0]); // the user uploads it back

  expect(encodeCheckpoint(picked)).toEqual(encodeCheckpoint(checkpoint));
  store.close();
});
