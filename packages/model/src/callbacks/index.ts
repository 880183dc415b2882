export type { Callback, EpochLogs, HookResult } from './callback.js';
export type { EpochHistory } from './epoch-logs.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { History, wallClockLogKeys } from './history.js';
export { LearningRateScheduler, type LearningRateSchedulerOptions } from './learning-rate-scheduler.js';
export {
  MemoryCheckpointStore,
  ModelCheckpoint,
  type CheckpointMoment,
  type CheckpointStore,
  type ModelCheckpointOptions,
} from './model-checkpoint.js';
export { isImprovement, resolveMode, type MonitorMode } from './monitor.js';
export { ProgressBar, type ProgressBarOptions, type ProgressOutput } from './progress-bar.js';
export { formatDuration, formatProgressLine, type ProgressLine } from './progress-format.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export { ProgressReporter, type FitProgress, type ProgressReporterOptions } from './progress-reporter.js';
export { byteCheckpointStore } from './byte-checkpoint-store.js';
