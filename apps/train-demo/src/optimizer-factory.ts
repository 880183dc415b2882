import {
  Adagrad,
  Adam,
  AdamW,
  RMSprop,
  SGD,
  cosineSchedule,
  oneCycleSchedule,
  stepSchedule,
  type LearningRate,
  type Optimizer,
} from '@annet/optimizers';
import type { Settings } from './settings.js';

/**
 * The settings an optimizer is built from (a task's settings hold more).
 *
 * @example
 * const settings: ScheduleSettings = { optimizer: 'adam', learningRate: 2e-3, schedule: 'cosine' };
 */
export type ScheduleSettings = Pick<Settings, 'optimizer' | 'learningRate' | 'schedule'>;

/**
 * The learning-rate schedule of a run, over `totalSteps` optimizer steps: `constant`; `cosine`
 * (one warmup epoch, then cosine decay to 1% of the peak); `step` (÷10 after each third of the
 * run); `onecycle` (Smith's one-cycle policy peaking at the learning rate).
 *
 * @example
 * learningRateFor(settings, 1500, 100); // 1500 steps of 100 per epoch: { type: 'cosine', ... }
 */
export function learningRateFor(settings: ScheduleSettings, totalSteps: number, stepsPerEpoch: number): LearningRate {
  const peak = settings.learningRate;
  switch (settings.schedule) {
    case 'constant':
      return peak;
    case 'cosine':
      return cosineSchedule({
        initialLearningRate: peak,
        totalSteps,
        minLearningRate: peak / 100,
        warmupSteps: Math.min(stepsPerEpoch, Math.floor(totalSteps / 10)),
        warmupStartLearningRate: peak / 10,
      });
    case 'step':
      return stepSchedule({ initialLearningRate: peak, stepSize: Math.max(1, Math.ceil(totalSteps / 3)), gamma: 0.1 });
    case 'onecycle':
      return oneCycleSchedule({ maxLearningRate: peak, totalSteps });
  }
}

/**
 * The optimizer named on the command line, with the run's schedule: `sgd`, `momentum` (SGD with
 * momentum 0.9), `nesterov`, `adam`, `adamw` (weight decay 0.01), `rmsprop`, `adagrad`.
 *
 * @example
 * const optimizer = buildOptimizer(settings, 250 * 15, 250); // AdamW with a cosine schedule over 3750 steps
 */
export function buildOptimizer(settings: ScheduleSettings, totalSteps: number, stepsPerEpoch: number): Optimizer {
  const learningRate = learningRateFor(settings, totalSteps, stepsPerEpoch);
  switch (settings.optimizer) {
    case 'sgd':
      return new SGD({ learningRate });
    case 'momentum':
      return new SGD({ learningRate, momentum: 0.9 });
    case 'nesterov':
      return new SGD({ learningRate, momentum: 0.9, nesterov: true });
    case 'adam':
      return new Adam({ learningRate });
    case 'adamw':
      return new AdamW({ learningRate });
    case 'rmsprop':
      return new RMSprop({ learningRate });
    case 'adagrad':
      return new Adagrad({ learningRate });
  }
}
