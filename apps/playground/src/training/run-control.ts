import type { Callback, TrainingContext } from '@annet/model';
import type { Checkpoint } from '@annet/serialization';

/**
 * Pause, resume and stop for a running `fit`, driven from outside (the worker's messages, which
 * get through because `fit` yields to the event loop between batches). A pause waits inside the
 * batch (or epoch-end) hook, where {@link RunControl.checkpoint} takes a checkpoint that resumes
 * exactly; {@link RunControl.stop} aborts `fit`'s signal, which ends the run at the next batch
 * boundary (a paused run stops at once).
 *
 * @example
 * const control = new RunControl();
 * const run = model.fit(train, { ...options, signal: control.signal, callbacks: [control] });
 * control.pause(); // later: control.checkpoint(), control.resume() or control.stop()
 */
export class RunControl implements Callback {
  readonly name = 'playgroundControl';
  /** Pause by itself once this many epochs are done, unless it is the last (`null`: never). */
  pauseAfterEpoch: number | null = null;
  private readonly aborter = new AbortController();
  private pauseRequested = false;
  private release: (() => void) | null = null;
  private context: TrainingContext | null = null;

  constructor(private readonly onPaused: (where: PausePoint) => void = () => {}) {}

  /** The signal to pass to `fit`: aborted by {@link RunControl.stop}. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

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

  /** End the run at the next batch boundary; `fit`'s stop reason ends with `reason`. */
  stop(reason = 'stopped by the user'): void {
    this.aborter.abort(reason);
    this.wake();
  }

  /** A checkpoint of the paused run, or `null` when it is not paused. */
  checkpoint(): Checkpoint | null {
    return this.paused && this.context !== null ? this.context.checkpoint() : null;
  }

  onBatchEnd(_logs: unknown, context: TrainingContext): Promise<void> | undefined {
    return this.pauseRequested && !this.signal.aborted ? this.wait(context, 'batch') : undefined;
  }

  onEpochEnd(_logs: unknown, context: TrainingContext): Promise<void> | undefined {
    if (this.pauseAfterEpoch === context.epoch + 1 && context.epoch + 1 < context.epochs) this.pauseRequested = true;
    return this.pauseRequested && !this.signal.aborted ? this.wait(context, 'epoch') : undefined;
  }

  private wait(context: TrainingContext, at: PausePoint['at']): Promise<void> {
    this.context = context;
    const released = new Promise<void>((resolve) => (this.release = resolve));
    this.onPaused({ at, epoch: context.epoch, step: context.step });
    return released;
  }

  private wake(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }
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
