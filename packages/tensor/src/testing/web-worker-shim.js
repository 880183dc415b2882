// Test-only: runs a Web Worker entry module inside a Node worker thread, giving it the worker
// globals it uses (addEventListener('message'), postMessage, close) over parentPort. The entry's
// URL comes in workerData. Lets Node tests drive browser worker code with the real protocol.
import { parentPort, workerData } from 'node:worker_threads';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const scope = /** @type {any} */ (globalThis);
scope.addEventListener = (
  /** @type {string} */ type,
  /** @type {(event: { data: unknown }) => void} */ listener,
  /** @type {{ once?: boolean } | undefined} */ options,
) => {
  if (type !== 'message') return;
  if (options?.once) port.once('message', (data) => listener({ data }));
  else port.on('message', (data) => listener({ data }));
};
scope.postMessage = (/** @type {unknown} */ message) => port.postMessage(message);
scope.close = () => port.close();
await import(/** @type {{ entry: string }} */ (workerData).entry);
