import type { EpochLogs, FitProgress } from '@annet/model';
import type { KernelInfo, KernelKind } from '@annet/tensor';
import type { PausePoint } from '../training/run-control.js';
import type { TrainingSettings } from '../training/settings.js';

/**
 * Which kernels run in the worker and why (the library's {@link KernelInfo}), with the choice
 * that was asked for and the number of threads, as the kernels panel shows it.
 *
 * @example
 * const report: KernelReport = { ...kernelInfo(), choice: 'auto', threads: 1, threadsReason: 'one thread was asked for' };
 */
export interface KernelReport extends KernelInfo {
  readonly choice: KernelKind;
  /** Threads the kernels use (1: the worker alone). */
  readonly threads: number;
  /** Why that many threads. */
  readonly threadsReason: string;
}

/**
 * What a checkpoint holds, as the page shows it.
 *
 * @example
 * const summary: CheckpointSummary = { epoch: 2, step: 32, midEpoch: false, settings, history: [] , bytes: 2_800_000 };
 */
export interface CheckpointSummary {
  /** Completed epochs. */
  readonly epoch: number;
  readonly step: number;
  readonly midEpoch: boolean;
  /** The playground settings the checkpoint was trained with. */
  readonly settings: TrainingSettings;
  /** The completed epochs' logs. */
  readonly history: readonly EpochLogs[];
  readonly bytes: number;
}

/**
 * Messages from the page to the training worker.
 *
 * @example
 * worker.postMessage({ type: 'train', settings, pauseAfterEpoch: null, resume: false } satisfies ToWorker);
 */
export type ToWorker =
  | { readonly type: 'init'; readonly digitsUrl: string; readonly kernels: KernelKind; readonly threads: number }
  /** Train from the start, or (`resume`) from the checkpoint loaded last. */
  | {
      readonly type: 'train';
      readonly settings: TrainingSettings;
      readonly pauseAfterEpoch: number | null;
      readonly resume: boolean;
    }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }
  /** The checkpoint of the paused or ended run, encoded. */
  | { readonly type: 'checkpoint'; readonly id: number }
  /** Decode and check a checkpoint; its weights answer predictions and `train` with `resume` continues it. */
  | { readonly type: 'load'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'predict'; readonly id: number; readonly pixels: Float32Array };

/**
 * Messages from the training worker to the page.
 *
 * @example
 * worker.onmessage = (event: MessageEvent<FromWorker>) => { if (event.data.type === 'progress') draw(event.data.progress); };
 */
export type FromWorker =
  | {
      readonly type: 'ready';
      readonly kernels: KernelReport;
      readonly digits: number;
      readonly loadMilliseconds: number;
    }
  | { readonly type: 'started'; readonly settings: TrainingSettings; readonly resumedFrom: CheckpointSummary | null }
  | { readonly type: 'progress'; readonly progress: FitProgress }
  | { readonly type: 'paused'; readonly where: PausePoint }
  | { readonly type: 'resumed' }
  /** `summary` describes the run's last checkpoint (`null` when stopped before its first step). */
  | { readonly type: 'done'; readonly stopReason: string | null; readonly summary: CheckpointSummary | null }
  | {
      readonly type: 'checkpoint';
      readonly id: number;
      readonly bytes: Uint8Array;
      readonly summary: CheckpointSummary;
    }
  | { readonly type: 'loaded'; readonly id: number; readonly summary: CheckpointSummary }
  | { readonly type: 'prediction'; readonly id: number; readonly probabilities: Float32Array }
  /** A request failed (`id` when it answered one) or training failed. */
  | { readonly type: 'error'; readonly id: number | null; readonly message: string };
