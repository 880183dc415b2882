import type { Callback, TrainingContext } from '@annet/model';
import type { Checkpoint } from '@annet/serialization';

/**
 * Pause, resume and stop for a running `fit`, driven from outside (the worker's messages). Between
 * batches it gives the event loop a turn at most every `yieldMilliseconds`, so that messages get
 * through; while paused it waits inside the batch (or epoch) hook, where a checkpoint taken with
 * {@link RunControl.checkpoint} resumes exactly. Stopping ends `fit` after the current batch.
 *
 * @example
 * const control = new RunControl();
 * const run = model.fit(train, { ...options, callbacks: [control] });
 * control.pause(); // later: control.checkpoint(), control.resume() or control.stop()
 */
export class RunControl implements Callback {
  readonly name = 'playgroundControl';
  /** Pause by itself once this many epochs are done (`null`: never). */
  pauseAfterEpoch: number | null = null;
  private pauseRequested = false;
  private stopRequested = false;
  private release: (() => void) | null = null;
  private context: TrainingContext | null = null;
  private lastYield = 0;
  /** Called after every batch hook once any yield or pause is over (to restart a clock). */
  afterWait: (() => void) | null = null;

  constructor(private readonly options: RunControlOptions = {}) {}

  /** Whether training waits in a hook now. */
  get paused(): boolean {
    return this.release !== null;
  }

  /** Pause after the current batch. */
  pause(): void {
    this.pauseRequested = true;
  }

  /** Continue a paused run. */
  resume(): void {
    this.pauseRequested = false;
    this.wake();
  }

  /** End the run after the current batch (a paused run stops at once). */
  stop(): void {
    this.stopRequested = true;
    this.wake();
  }

  /** A checkpoint of the paused run, or `null` when it is not paused. */
  checkpoint(): Checkpoint | null {
    return this.paused && this.context !== null ? this.context.checkpoint() : null;
  }

  onTrainBegin(context: TrainingContext): void {
    this.context = context;
  }

  async onBatchEnd(_logs: unknown, context: TrainingContext): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield >= (this.options.yieldMilliseconds ?? 30)) {
      this.lastYield = now;
      await yieldToEventLoop();
    }
    if (this.pauseRequested && !this.stopRequested) await this.wait(context, 'batch');
    this.afterWait?.();
    if (this.stopRequested) context.requestStop(`stopped at step ${context.step} (epoch ${context.epoch + 1}, batch ${context.batch})`);
  }

  async onEpochEnd(_logs: unknown, context: TrainingContext): Promise<void> {
    if (this.pauseAfterEpoch === context.epoch + 1 && context.epoch + 1 < context.epochs) this.pauseRequested = true;
    if (this.pauseRequested && !this.stopRequested) await this.wait(context, 'epoch');
    if (this.stopRequested) context.requestStop(`stopped after epoch ${context.epoch + 1}`);
  }

  private async wait(context: TrainingContext, at: 'batch' | 'epoch'): Promise<void> {
    this.context = context;
    const released = new Promise<void>((resolve) => (this.release = resolve));
    this.options.onPaused?.({ at, epoch: context.epoch, step: context.step });
    await released;
  }

  private wake(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }
}

/**
 * Options of {@link RunControl}.
 *
 * @example
 * new RunControl({ yieldMilliseconds: 50, onPaused: (where) => postMessage({ type: 'paused', where }) });
 */
export interface RunControlOptions {
  /** Least time between two turns given to the event loop; default 30 ms. */
  readonly yieldMilliseconds?: number;
  /** Called when the run starts waiting. */
  readonly onPaused?: (where: PausePoint) => void;
}

/**
 * Where a run paused: after a batch or at an epoch's end (`epoch` zero-based, `step` counted).
 *
 * @example
 * const where: PausePoint = { at: 'epoch', epoch: 1, step: 32 };
 */
export interface PausePoint {
  readonly at: 'batch' | 'epoch';
  readonly epoch: number;
  readonly step: number;
}

/**
 * Resolves after one turn of the event loop: a MessageChannel message, which (unlike
 * `setTimeout(0)`) is not clamped to 4 ms once nested.
 *
 * @example
 * await yieldToEventLoop(); // pending messages and timers have run
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
