import { checkPureSchedule } from './check-schedule.js';
import type { PureSchedule, SequentialSchedule } from './schedule-types.js';

/**
 * Runs schedules one after another (PyTorch `SequentialLR`): `schedules[i]` governs the steps from
 * `milestones[i - 1]` (0 for the first) to `milestones[i]`, evaluated at the number of steps since
 * its own start. Typical use: a linear warmup, then a cosine decay.
 *
 * @example
 * const schedule = sequentialSchedule(
 *   [linearWarmupSchedule({ learningRate: 1e-3, warmupSteps: 500 }), cosineSchedule({ initialLearningRate: 1e-3, totalSteps: 9500 })],
 *   [500],
 * );
 * const adamW = new AdamW({ learningRate: schedule });
 */
export function sequentialSchedule(
  schedules: readonly PureSchedule[],
  milestones: readonly number[],
): SequentialSchedule {
  return checkPureSchedule('sequentialSchedule', '', {
    type: 'sequential',
    schedules,
    milestones,
  }) as SequentialSchedule;
}
