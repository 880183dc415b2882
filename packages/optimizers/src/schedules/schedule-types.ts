/**
 * Learning-rate schedules are plain JSON configs: a `type` and numbers. A pure function of the
 * optimizer's step count turns one into a learning rate ({@link learningRateAt}), so a schedule
 * saves as its config and a resumed run continues where it stopped.
 */

/** `learningRate` at every step. */
export interface ConstantSchedule {
  readonly type: 'constant';
  readonly learningRate: number;
}

/** `initialLearningRate * gamma ** floor(step / stepSize)` (PyTorch `StepLR`). */
export interface StepSchedule {
  readonly type: 'step';
  readonly initialLearningRate: number;
  readonly stepSize: number;
  readonly gamma: number;
}

/** `initialLearningRate * gamma ** (number of milestones <= step)` (PyTorch `MultiStepLR`). */
export interface MultiStepSchedule {
  readonly type: 'multiStep';
  readonly initialLearningRate: number;
  readonly milestones: readonly number[];
  readonly gamma: number;
}

/** `initialLearningRate * gamma ** step` (PyTorch `ExponentialLR`). */
export interface ExponentialSchedule {
  readonly type: 'exponential';
  readonly initialLearningRate: number;
  readonly gamma: number;
}

/** Linear warmup from `warmupStartLearningRate`, then cosine annealing down to `minLearningRate` at `totalSteps`. */
export interface CosineSchedule {
  readonly type: 'cosine';
  readonly initialLearningRate: number;
  readonly totalSteps: number;
  readonly minLearningRate: number;
  readonly warmupSteps: number;
  readonly warmupStartLearningRate: number;
}

/** Linear ramp from `startLearningRate` to `learningRate` over `warmupSteps`, then constant. */
export interface LinearWarmupSchedule {
  readonly type: 'linearWarmup';
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly startLearningRate: number;
}

/** `(initial - final) * (1 - min(step, totalSteps) / totalSteps) ** power + final` (PyTorch `PolynomialLR`). */
export interface PolynomialSchedule {
  readonly type: 'polynomial';
  readonly initialLearningRate: number;
  readonly totalSteps: number;
  readonly power: number;
  readonly finalLearningRate: number;
}

/** The one-cycle policy of Smith and Topin, 2017, as PyTorch's `OneCycleLR` computes it. */
export interface OneCycleSchedule {
  readonly type: 'oneCycle';
  readonly maxLearningRate: number;
  readonly totalSteps: number;
  readonly percentStart: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly divFactor: number;
  readonly finalDivFactor: number;
  readonly threePhase: boolean;
  /** Cycle the optimizer's momentum (SGD's and RMSprop's `momentum`, the Adam family's and Lion's `beta1`) inversely to the rate. */
  readonly cycleMomentum: boolean;
  /** The momentum at the rate's peak. */
  readonly baseMomentum: number;
  /** The momentum at the start and the end of the cycle. */
  readonly maxMomentum: number;
}

/** `schedules[i]` from `milestones[i - 1]` on, evaluated at the step since its start (PyTorch `SequentialLR`). */
export interface SequentialSchedule {
  readonly type: 'sequential';
  readonly schedules: readonly PureSchedule[];
  readonly milestones: readonly number[];
}

/** The schedules that are pure functions of the step. */
export type PureSchedule =
  | ConstantSchedule
  | StepSchedule
  | MultiStepSchedule
  | ExponentialSchedule
  | CosineSchedule
  | LinearWarmupSchedule
  | PolynomialSchedule
  | OneCycleSchedule
  | SequentialSchedule;

/**
 * Multiplies the learning rate by `factor` when a watched metric stops improving for more than
 * `patience` observations (PyTorch `ReduceLROnPlateau`). The one stateful schedule: its state
 * ({@link PlateauState}) lives in the optimizer and is saved with it.
 */
export interface ReduceLROnPlateauSchedule {
  readonly type: 'reduceLROnPlateau';
  /** The learning rate (or pure schedule) before any reduction. */
  readonly learningRate: number | PureSchedule;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLearningRate: number;
  readonly epsilon: number;
}

/** Any schedule config. */
export type ScheduleConfig = PureSchedule | ReduceLROnPlateauSchedule;

/** What an optimizer's `learningRate` option accepts: a number or a schedule config. */
export type LearningRate = number | ScheduleConfig;

/** The state of a {@link ReduceLROnPlateauSchedule}: plain numbers, saved with the optimizer. */
export interface PlateauState {
  /** Best metric seen so far; `null` before the first observation. */
  readonly best: number | null;
  /** Observations since the last improvement (PyTorch `num_bad_epochs`). */
  readonly badEpochs: number;
  /** Observations left before bad ones count again after a reduction. */
  readonly cooldownCounter: number;
  /** Product of the reductions applied so far; the learning rate is `max(base * scale, minLearningRate)`. */
  readonly scale: number;
}
