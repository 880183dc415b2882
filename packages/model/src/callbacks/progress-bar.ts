import type { JsonObject } from '@annet/layer-api';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback, EpochLogs } from './callback.js';
import { formatProgressLine } from './progress-format.js';

/**
 * Where a {@link ProgressBar} writes: a stream such as `process.stdout`.
 *
 * @example
 * new ProgressBar({ output: { isTTY: false, write: (text) => void lines.push(text) } });
 */
export interface ProgressOutput {
  write(text: string): unknown;
  /** `true` for a terminal: the bar is redrawn in place. */
  readonly isTTY?: boolean;
  /** Terminal width, to fit the bar. */
  readonly columns?: number;
}

/**
 * Options of {@link ProgressBar}.
 *
 * @example
 * new ProgressBar({ output: process.stderr, refreshMilliseconds: 250 });
 */
export interface ProgressBarOptions {
  /** Default: `process.stdout` where there is one, else lines through `console.log`. */
  readonly output?: ProgressOutput;
  /** Least time between two redraws of the live bar, in milliseconds. Default 100. */
  readonly refreshMilliseconds?: number;
  /** Clock in milliseconds; default `performance.now()`. */
  readonly now?: () => number;
}

const bookkeeping = new Set(['epoch', 'seconds', 'samplesPerSecond']);

/**
 * Shows training progress. On a terminal: a live bar redrawn in place with the running loss and
 * metrics, samples per second and the ETA, ending as one line per epoch with validation figures.
 * Elsewhere (a file, CI logs): just that one line per epoch.
 *
 * @example
 * await model.fit(train, { optimizer, loss: 'crossEntropy', epochs: 10, callbacks: [new ProgressBar()] });
 * // Epoch 1/10  8000/8000 [==============================]  loss 0.4312  accuracy 0.8801  validationLoss 0.2210  …  3.1s
 */
export class ProgressBar implements Callback {
  readonly name = 'progressBar';
  private readonly output: ProgressOutput;
  private readonly refreshMilliseconds: number;
  private readonly now: () => number;
  private epochStart = 0;
  private samplesAtStart = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawnWidth = 0;

  constructor(options: ProgressBarOptions = {}) {
    this.output = options.output ?? defaultOutput();
    this.refreshMilliseconds = options.refreshMilliseconds ?? 100;
    this.now = options.now ?? (() => performance.now());
  }

  onTrainBegin(context: TrainingContext): void {
    this.startTiming(context);
  }

  onEpochBegin(context: TrainingContext): void {
    this.startTiming(context);
  }

  onBatchEnd(logs: EpochLogs, context: TrainingContext): void {
    if (!this.output.isTTY) return;
    const time = this.now();
    if (time - this.lastDraw < this.refreshMilliseconds && context.samplesInEpoch < context.samplesPerEpoch) return;
    this.lastDraw = time;
    this.draw(this.line(logs, context, false));
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): void {
    const shown: Record<string, number> = {};
    for (const [key, value] of Object.entries(logs)) if (!bookkeeping.has(key)) shown[key] = value;
    const text = this.line(shown, context, true);
    if (this.output.isTTY) this.draw(text);
    else this.output.write(text);
    this.output.write('\n');
    this.drawnWidth = 0;
  }

  onTrainEnd(context: TrainingContext): void {
    if (this.drawnWidth > 0) this.output.write('\n');
    this.drawnWidth = 0;
    if (context.stopReason !== null) this.output.write(`Stopped: ${context.stopReason}\n`);
  }

  /** Nothing to save: the bar only shows progress. */
  getState(): JsonObject {
    return {};
  }

  setState(): void {}

  private startTiming(context: TrainingContext): void {
    this.epochStart = this.now();
    this.samplesAtStart = context.samplesInEpoch;
    this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  private line(logs: EpochLogs, context: TrainingContext, finished: boolean): string {
    const elapsedSeconds = (this.now() - this.epochStart) / 1000;
    const samples = context.samplesInEpoch - this.samplesAtStart;
    const samplesPerSecond = elapsedSeconds > 0 ? samples / elapsedSeconds : 0;
    const fields = {
      epoch: context.epoch + 1,
      epochs: context.epochs,
      done: context.samplesInEpoch,
      total: context.samplesPerEpoch,
      elapsedSeconds,
      samplesPerSecond,
      logs,
      finished,
    };
    const plain = formatProgressLine({ ...fields, barWidth: 0 });
    if (!this.output.isTTY) return plain;
    // The bar takes what is left of the terminal line, up to 30 characters.
    const barWidth = Math.min(30, (this.output.columns ?? 100) - plain.length - 4);
    return barWidth >= 10 ? formatProgressLine({ ...fields, barWidth }) : plain;
  }

  private draw(text: string): void {
    const columns = this.output.columns ?? 200;
    const fitted = text.length >= columns ? text.slice(0, columns - 1) : text;
    this.output.write(`\r${fitted}${' '.repeat(Math.max(0, this.drawnWidth - fitted.length))}`);
    this.drawnWidth = fitted.length;
  }
}

function defaultOutput(): ProgressOutput {
  const stdout = (globalThis as { process?: { stdout?: ProgressOutput } }).process?.stdout;
  if (stdout && typeof stdout.write === 'function') return stdout;
  let pending = '';
  return {
    write(text: string) {
      pending += text.replace(/\r/g, '');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.log(line);
    },
  };
}
