import type { Callback, EpochLogs, TrainingContext } from '@annet/model';
import type { Checkpoint } from '@annet/serialization';

/**
 * Ctrl-C during training: the first one stops after the current batch and, with `--checkpoint`,
 * saves a mid-epoch checkpoint there (resumable with `--resume`); a second one exits at once.
 *
 * @example
 * const interrupt = new InterruptHandler((checkpoint) => saveCheckpoint('run.ckpt', checkpoint));
 * await model.fit(train, { ...options, callbacks: [interrupt] });
 */
export class InterruptHandler implements Callback {
  readonly name = 'interrupt';
  /** The step training stopped at after Ctrl-C, or `null`. */
  interruptedAtStep: number | null = null;
  private requested = false;
  private lastYield = 0;
  private readonly onSignal = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
  };

  constructor(private readonly save: ((checkpoint: Checkpoint) => Promise<void>) | null) {}

  onTrainBegin(): void {
    process.on('SIGINT', this.onSignal);
  }

  onBatchEnd(_logs: EpochLogs, context: TrainingContext): void | Promise<void> {
    if (this.requested) {
      this.interruptedAtStep = context.step;
      context.requestStop(`interrupted at step ${context.step} (epoch ${context.epoch + 1}, batch ${context.batch})`);
      return this.save === null ? undefined : this.save(context.checkpoint());
    }
    // Training runs synchronously; a signal is only delivered when the event loop gets a turn.
    const now = performance.now();
    if (now - this.lastYield < 200) return undefined;
    this.lastYield = now;
    return new Promise((resolve) => setImmediate(resolve));
  }

  onTrainEnd(): void {
    process.off('SIGINT', this.onSignal);
  }
}
