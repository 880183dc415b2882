import type { FloatArray, JsonObject, Parameter, Trainable } from '@annet/layer-api';
import type { LearningRate } from '../schedules/schedule-types.js';

/** An optimizer's hyperparameters besides the learning rate: named numbers and flags. */
export type Hyperparameters = { readonly [name: string]: number | boolean };

/** Which parameters a group holds: an explicit list of names, or a regular expression (as a string) tested against each name. */
export type GroupSelector =
  | { readonly names: readonly string[]; readonly pattern?: undefined }
  | { readonly pattern: string; readonly names?: undefined };

/**
 * A parameter group: a selector plus the options that differ for its parameters. Groups are plain
 * JSON so they save with the optimizer; the first group whose selector matches a parameter's name
 * wins, and parameters that match none use the top-level options.
 *
 * @example
 * // no weight decay on biases and normalization parameters:
 * const group: ParameterGroup<AdamHyperparameters> = { pattern: '\\.(biases|gamma|beta)$', weightDecay: 0 };
 */
export type ParameterGroup<H extends Hyperparameters> = GroupSelector &
  Partial<H> & {
    /** This group's own learning rate or schedule; by default the optimizer's. */
    readonly learningRate?: LearningRate;
  };

/** The one options object every optimizer takes: hyperparameters (PyTorch's names in camelCase), learning rate, groups. */
export type OptimizerOptions<H extends Hyperparameters> = Partial<H> & {
  /** A number, or a schedule config such as `cosineSchedule({...})`. */
  readonly learningRate?: LearningRate;
  /** Per-group overrides; see {@link ParameterGroup}. */
  readonly groups?: readonly ParameterGroup<H>[];
};

/** What {@link Optimizer.step} accepts: a layer or model, or the parameters themselves. */
export type StepTarget = Trainable | readonly Parameter[];

/** Gradients keyed by parameter name, for the two-argument `step(layer, gradients)`. */
export type GradientsByName = { readonly [name: string]: FloatArray | undefined };

/** An optimizer as plain JSON: `JSON.stringify` it, and `optimizerFromJSON` rebuilds it exactly. */
export interface OptimizerJson {
  /** The registry key of the optimizer's class, such as `Adam`. */
  readonly type: string;
  /** Every hyperparameter, the learning rate (or schedule config) and the groups. */
  readonly config: JsonObject;
  /** Step counts, schedule state and every state array (as lists of numbers). */
  readonly state: JsonObject;
}

/** One named state array of a state dict. */
export interface StateArray {
  /** The parameter's shape. */
  shape: number[];
  /** The values, in the parameter's own array type. */
  value: FloatArray;
}

/**
 * An optimizer split for checkpoints: JSON (`type`, `config`, `state` with every scalar) plus named
 * typed arrays keyed `${parameterName}.${slot}` (such as `dense_1.weights.firstMoment`).
 */
export interface OptimizerStateDict {
  /** The registry key of the optimizer's class, such as `Adam`. */
  type: string;
  /** Every hyperparameter, the learning rate (or schedule config) and the groups. */
  config: JsonObject;
  /** Every scalar: `stepCount`, `schedules` (plateau states) and `parameters` (`{ step, dtype, shape, scalars }` by name). */
  state: JsonObject;
  /** The state arrays, keyed `${parameterName}.${slot}`. */
  arrays: Record<string, StateArray>;
}

/** Options of `loadStateDict` and the `...FromJSON` loaders. */
export interface LoadOptions {
  /** `true` (default): any problem throws one error listing all, and nothing is loaded. `false`: load what matches and report the rest. */
  readonly strict?: boolean;
  /** When given, saved parameter names and shapes are checked against this model's trainable parameters. */
  readonly target?: StepTarget;
}

/** What a load did; in strict mode everything but `loaded` is empty (otherwise it throws). */
export interface LoadReport {
  /** Parameter names whose state was loaded. */
  readonly loaded: readonly string[];
  /** Target parameters with no saved state, and saved states lacking an array (`name.slot`) or schedule state (`schedules.key`). */
  readonly missing: readonly string[];
  /** Saved states for names the target lacks, and arrays or schedule states this optimizer does not use. */
  readonly unexpected: readonly string[];
  /** Saved states that do not fit, each with the reason (`name: shape [3,4] saved, [4,3] in the target`). */
  readonly mismatched: readonly string[];
}
