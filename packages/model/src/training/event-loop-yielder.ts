import type { YieldPolicy } from './yield-every.js';

/**
 * How {@link EventLoopYielder} gives the event loop its turn: `auto` picks `setImmediate` in Node,
 * otherwise a `MessageChannel`, otherwise `setTimeout(0)`.
 *
 * @example
 * new EventLoopYielder('message-channel');
 */
export type YieldMechanism = 'auto' | 'message-channel' | 'set-immediate' | 'timeout';

/**
 * Hands the thread back to the event loop for one macrotask. In browsers and workers through a
 * `MessageChannel` (each message is its own task, and browsers do not clamp it, unlike nested
 * `setTimeout(0)`'s 4 ms); in Node through `setImmediate`, because Node delivers up to 1000
 * queued port messages in one turn of its loop, so a channel would not let timers or I/O run
 * between yields. The channel opens at the first yield and must be closed with
 * {@link EventLoopYielder.close} (in Node an open port keeps the process alive).
 *
 * @example
 * const yielder = new EventLoopYielder();
 * try { for (const batch of batches) { step(batch); await yielder.yield(); } } finally { yielder.close(); }
 */
export class EventLoopYielder {
  /** Yields completed so far. */
  count = 0;
  private channel: MessageChannel | null = null;
  private readonly waiting: (() => void)[] = [];
  private readonly mechanism: Exclude<YieldMechanism, 'auto'>;

  constructor(mechanism: YieldMechanism = 'auto') {
    this.mechanism = mechanism === 'auto' ? defaultMechanism() : mechanism;
  }

  /** Resolves after the event loop has run the tasks queued before it (timers due, messages, input). */
  yield(): Promise<void> {
    this.count++;
    return new Promise((resolve) => {
      if (this.mechanism === 'set-immediate') {
        (globalThis as unknown as { setImmediate: (callback: () => void) => void }).setImmediate(resolve);
        return;
      }
      const channel = this.mechanism === 'message-channel' ? this.open() : null;
      if (channel === null) {
        setTimeout(resolve, 0);
        return;
      }
      this.waiting.push(resolve);
      channel.port2.postMessage(null);
    });
  }

  /** Closes the channel; a later yield opens a new one. */
  close(): void {
    if (this.channel === null) return;
    this.channel.port1.close();
    this.channel.port2.close();
    this.channel = null;
    // Closing drops queued messages: release whoever still waits rather than leave them hanging.
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private open(): MessageChannel | null {
    if (this.channel !== null) return this.channel;
    if (typeof MessageChannel !== 'function') return null;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => this.waiting.shift()?.();
    this.channel = channel;
    return channel;
  }
}

function defaultMechanism(): Exclude<YieldMechanism, 'auto'> {
  const scope = globalThis as { setImmediate?: unknown; process?: { versions?: { node?: string } } };
  if (typeof scope.setImmediate === 'function' && typeof scope.process?.versions?.node === 'string')
    return 'set-immediate';
  return typeof MessageChannel === 'function' ? 'message-channel' : 'timeout';
}

/**
 * Decides, batch by batch, when a loop yields under a {@link YieldPolicy}; the loop calls
 * {@link YieldScheduler.afterBatch} after each batch and awaits only what it returns (so a policy
 * of `'never'` costs no await at all).
 *
 * @example
 * const scheduler = new YieldScheduler({ kind: 'batches', every: 8 });
 * for (const batch of batches) { step(batch); const pause = scheduler.afterBatch(); if (pause) await pause; }
 * scheduler.close();
 */
export class YieldScheduler {
  private readonly yielder: EventLoopYielder;
  private batches = 0;
  private last = performance.now();

  constructor(
    readonly policy: YieldPolicy,
    mechanism: YieldMechanism = 'auto',
  ) {
    this.yielder = new EventLoopYielder(mechanism);
  }

  /** Yields done so far. */
  get yields(): number {
    return this.yielder.count;
  }

  /** A promise to await when it is time to yield, otherwise `undefined`. */
  afterBatch(): Promise<void> | undefined {
    const policy = this.policy;
    if (policy.kind === 'batches') {
      if (++this.batches < policy.every) return undefined;
      this.batches = 0;
      return this.yielder.yield();
    }
    if (policy.kind !== 'milliseconds') return undefined;
    const now = performance.now();
    if (now - this.last < policy.every) return undefined;
    return this.yieldAndRestartClock();
  }

  /** A promise to await at an epoch's end (every policy but `'never'` yields there). */
  afterEpoch(): Promise<void> | undefined {
    if (this.policy.kind === 'never') return undefined;
    this.batches = 0;
    return this.yieldAndRestartClock();
  }

  /** Releases the channel. */
  close(): void {
    this.yielder.close();
  }

  private async yieldAndRestartClock(): Promise<void> {
    await this.yielder.yield();
    // The interval is counted from when work resumes, so a slow frame does not cause a burst of yields.
    this.last = performance.now();
  }
}
