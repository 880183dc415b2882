import type { FromWorker, ToWorker } from '../worker/protocol.js';

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/**
 * The page's side of the training worker: posts messages, routes replies to requests by id, and
 * hands every other message (progress, epochs, pauses, the end of a run) to `onEvent`.
 *
 * @example
 * const client = new WorkerClient(new Worker(new URL('../worker/training-worker.ts', import.meta.url), { type: 'module' }), render);
 * const { bytes } = await client.request({ type: 'checkpoint' }, 'checkpoint');
 */
export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (message: FromWorker) => void; reject: (error: Error) => void; expected: FromWorker['type'] }
  >();

  constructor(
    private readonly worker: Worker,
    private readonly onEvent: (message: FromWorker) => void,
  ) {
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    worker.onerror = (event) =>
      this.onEvent({ type: 'error', id: null, message: `the training worker failed: ${event.message}` });
  }

  /** Ends the worker; pending requests are rejected. */
  terminate(): void {
    this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new Error('the worker was restarted'));
    this.pending.clear();
  }

  send(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Sends a request (`id` is filled in) and resolves with its reply of type `expected`, or rejects with the worker's error. */
  request<T extends FromWorker['type']>(
    message: DistributiveOmit<Extract<ToWorker, { id: number }>, 'id'>,
    expected: T,
    transfer: Transferable[] = [],
  ): Promise<Reply<T>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (message: FromWorker) => void, reject, expected });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  private receive(message: FromWorker): void {
    const id = 'id' in message ? message.id : null;
    const waiting = id === null ? undefined : this.pending.get(id);
    if (waiting === undefined) {
      this.onEvent(message);
      return;
    }
    this.pending.delete(id!);
    if (message.type === 'error') waiting.reject(new Error(message.message));
    else if (message.type === waiting.expected) waiting.resolve(message);
    else waiting.reject(new Error(`expected a ${waiting.expected} reply, got ${message.type}`));
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
