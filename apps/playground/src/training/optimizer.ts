import {
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
import type { TrainingSettings } from './settings.js';

/**
 * The learning rate of a run over `totalSteps` optimizer steps: `constant`; `cosine` (one warmup
 * epoch from a tenth of the peak, then cosine decay to 1 % of it); `step` (÷10 after each third);
 * `onecycle` (peaking at the learning rate).
 *
 * @example
 * learningRateOf({ ...defaultSettings, schedule: 'cosine' }, 625, 125);
 */
export function learningRateOf(settings: TrainingSettings, totalSteps: number, stepsPerEpoch: number): LearningRate {
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
 * The optimizer of a run, with its schedule over all its epochs.
 *
 * @example
 * const optimizer = buildOptimizer(defaultSettings); // Adam, learning rate 0.001
 */
export function buildOptimizer(settings: TrainingSettings): Optimizer {
  const stepsPerEpoch = Math.ceil(settings.trainSamples / settings.batchSize);
  const learningRate = learningRateOf(settings, stepsPerEpoch * settings.epochs, stepsPerEpoch);
  switch (settings.optimizer) {
    case 'sgd':
      return new SGD({ learningRate });
    case 'momentum':
      return new SGD({ learningRate, momentum: 0.9 });
    case 'adam':
      return new Adam({ learningRate });
    case 'adamw':
      return new AdamW({ learningRate });
    case 'rmsprop':
      return new RMSprop({ learningRate });
  }
}
