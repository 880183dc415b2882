/**
 * @annet/optimizers: SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam and Lion,
 * exact to PyTorch's formulas, with state keyed by parameter name that saves as JSON or as named
 * arrays and resumes bit for bit; learning-rate schedules; gradient clipping, accumulation and
 * weight averaging. Depends only on the types of `@annet/layer-api`.
 */
export { AnnetError } from './annet-error.js';

export { Optimizer, type ParameterStateView } from './core/optimizer.js';
export type { RuleState, StepContext, UpdateRule } from './core/update-rule.js';
export type {
  GradientsByName,
  GroupSelector,
  Hyperparameters,
  LoadOptions,
  LoadReport,
  OptimizerJson,
  OptimizerOptions,
  OptimizerStateDict,
  ParameterGroup,
  StateArray,
  StepTarget,
} from './core/types.js';

export { SGD, sgdReference, sgdRule, sgdUpdate, type SGDHyperparameters, type SGDOptions } from './optimizers/sgd.js';
export {
  Adam,
  adamReference,
  adamRule,
  adamUpdate,
  type AdamHyperparameters,
  type AdamOptions,
} from './optimizers/adam.js';
export { AdamW, adamWRule, type AdamWOptions } from './optimizers/adamw.js';
export {
  RMSprop,
  rmspropRule,
  rmspropUpdate,
  type RMSpropHyperparameters,
  type RMSpropOptions,
} from './optimizers/rmsprop.js';
export {
  Adagrad,
  adagradRule,
  adagradUpdate,
  type AdagradHyperparameters,
  type AdagradOptions,
} from './optimizers/adagrad.js';
export {
  Adadelta,
  adadeltaRule,
  adadeltaUpdate,
  type AdadeltaHyperparameters,
  type AdadeltaOptions,
} from './optimizers/adadelta.js';
export {
  Adamax,
  adamaxRule,
  adamaxUpdate,
  type AdamaxHyperparameters,
  type AdamaxOptions,
} from './optimizers/adamax.js';
export {
  NAdam,
  nadamReference,
  nadamRule,
  nadamUpdate,
  type NAdamHyperparameters,
  type NAdamOptions,
} from './optimizers/nadam.js';
export {
  RAdam,
  radamReference,
  radamRule,
  radamUpdate,
  type RAdamHyperparameters,
  type RAdamOptions,
} from './optimizers/radam.js';
export { Lion, lionRule, lionUpdate, type LionHyperparameters, type LionOptions } from './optimizers/lion.js';

export { defaultOptimizerRegistry, type OptimizerClass, type OptimizerRegistry } from './serialization/registry.js';
export { optimizerFromJSON, optimizerFromStateDict } from './serialization/optimizer-from-json.js';
export { decodeNumber, encodeNumber } from './serialization/json-numbers.js';

export type {
  ConstantSchedule,
  CosineSchedule,
  ExponentialSchedule,
  LearningRate,
  LinearWarmupSchedule,
  MultiStepSchedule,
  OneCycleSchedule,
  PlateauState,
  PolynomialSchedule,
  PureSchedule,
  ReduceLROnPlateauSchedule,
  ScheduleConfig,
  SequentialSchedule,
  StepSchedule,
} from './schedules/schedule-types.js';
export { constantSchedule, constantLearningRate } from './schedules/constant.js';
export { stepSchedule, stepLearningRate } from './schedules/step.js';
export { multiStepSchedule, multiStepLearningRate } from './schedules/multi-step.js';
export { exponentialSchedule, exponentialLearningRate } from './schedules/exponential.js';
export { cosineSchedule, cosineLearningRate } from './schedules/cosine.js';
export { linearWarmupSchedule, linearWarmupLearningRate } from './schedules/linear-warmup.js';
export { polynomialSchedule, polynomialLearningRate } from './schedules/polynomial.js';
export { oneCycleSchedule, oneCycleLearningRate, oneCycleMomentum } from './schedules/one-cycle.js';
export { sequentialSchedule } from './schedules/sequential.js';
export {
  reduceLROnPlateau,
  initialPlateauState,
  observePlateau,
  type ReduceLROnPlateauOptions,
} from './schedules/reduce-lr-on-plateau.js';
export { cycledMomentumAt, learningRateAt } from './schedules/learning-rate-at.js';
export { checkSchedule } from './schedules/check-schedule.js';

export { clipGradNorm, type ClipGradNormOptions } from './gradients/clip-grad-norm.js';
export { clipGradValue } from './gradients/clip-grad-value.js';
export { GradientAccumulator, type GradientAccumulatorOptions } from './gradients/gradient-accumulator.js';
export {
  ExponentialMovingAverage,
  type ExponentialMovingAverageJson,
  type ExponentialMovingAverageOptions,
} from './averaging/exponential-moving-average.js';
