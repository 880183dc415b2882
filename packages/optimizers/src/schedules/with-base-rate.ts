import type { LearningRate, PureSchedule, ScheduleConfig } from './schedule-types.js';

/** `value` scaled by `rate / base`, kept as is when the base is 0 (no ratio to keep). */
function keepRatio(value: number, rate: number, base: number): number {
  return base === 0 ? value : value * (rate / base);
}

function pureWithBaseRate(schedule: PureSchedule, rate: number): PureSchedule {
  switch (schedule.type) {
    case 'constant':
      return { ...schedule, learningRate: rate };
    case 'step':
    case 'multiStep':
    case 'exponential':
    case 'polynomial':
      return { ...schedule, initialLearningRate: rate };
    case 'cosine':
      return {
        ...schedule,
        initialLearningRate: rate,
        warmupStartLearningRate: keepRatio(schedule.warmupStartLearningRate, rate, schedule.initialLearningRate),
      };
    case 'linearWarmup':
      return {
        ...schedule,
        learningRate: rate,
        startLearningRate: keepRatio(schedule.startLearningRate, rate, schedule.learningRate),
      };
    case 'oneCycle':
      return { ...schedule, maxLearningRate: rate };
    case 'sequential':
      return { ...schedule, schedules: schedule.schedules.map((part) => pureWithBaseRate(part, rate)) };
  }
}

/**
 * The schedule a parameter group with its own numeric learning rate follows: the optimizer's
 * schedule with the group's rate as its base rate, as PyTorch's schedulers work from each group's
 * own `initial_lr`. The base rate is `initialLearningRate` (step, multi-step, exponential, cosine,
 * polynomial), `learningRate` (constant, linear warmup) or `maxLearningRate` (one-cycle, as
 * `OneCycleLR` with one `max_lr` per group; its start and end rates follow through `divFactor`
 * and `finalDivFactor`). Warmup start rates keep their ratio to the base rate (PyTorch's
 * `LinearLR` `start_factor`); floors stay absolute (cosine's and polynomial's minimum and
 * final rate, as `CosineAnnealingLR`'s `eta_min`; a plateau's `minLearningRate`, as `min_lr`).
 * A number (no schedule) is just the group's rate.
 *
 * @example
 * withBaseRate(stepSchedule({ initialLearningRate: 0.1, stepSize: 3, gamma: 0.5 }), 0.02); // 0.02, halved every 3 steps
 */
export function withBaseRate(learningRate: LearningRate, rate: number): LearningRate {
  if (typeof learningRate === 'number') return rate;
  if (learningRate.type !== 'reduceLROnPlateau') return pureWithBaseRate(learningRate, rate);
  const inner = learningRate.learningRate;
  return {
    ...learningRate,
    learningRate: typeof inner === 'number' ? rate : pureWithBaseRate(inner, rate),
  } satisfies ScheduleConfig;
}
