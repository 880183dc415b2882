import type { PlateauState } from '../schedules/schedule-types.js';
import type { NormalizedOptions } from './config.js';
import type { ParameterState } from './parameter-state.js';
import type { Hyperparameters } from './types.js';
import type { UpdateRule } from './update-rule.js';

/**
 * An optimizer's data, apart from the class that wraps it: the rule, the checked options, the
 * global step count and the state by parameter name. The step, save and load functions work on it.
 */
export interface OptimizerCore<H extends Hyperparameters> {
  /** The algorithm. */
  readonly rule: UpdateRule<H>;
  /** The checked options and groups. */
  readonly options: NormalizedOptions<H>;
  /** Number of `step` calls so far; learning-rate schedules are evaluated at it. */
  stepCount: number;
  /** Per-parameter state, by name, in the order parameters were first seen. */
  readonly states: Map<string, ParameterState<H>>;
  /** State of each stateful (`reduceLROnPlateau`) schedule, by schedule key. */
  readonly plateaus: Map<string, PlateauState>;
  /** Counter stamped on states during validation, to find duplicate names. */
  visit: number;
  /** `${type}.step`, built once so a step allocates no string. */
  readonly stepOperation: string;
  /** The one step context handed to every update (written, never reallocated). */
  readonly context: { step: number; learningRate: number };
}
