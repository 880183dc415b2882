import type { FloatArray, JsonObject } from '@annet/layer-api';
import { AnnetError, formatValue } from '../annet-error.js';
import { learningRateAt } from '../schedules/learning-rate-at.js';
import { initialPlateauState, observePlateau } from '../schedules/reduce-lr-on-plateau.js';
import type { PlateauState, ReduceLROnPlateauSchedule } from '../schedules/schedule-types.js';
import { forgetLearningRates, groupOf, normalizeOptions, type NormalizedOptions } from './options.js';
import { loadIntoCore, saveStateDict, stateDictFromJson, stateDictToJson } from './state.js';
import { applyStep, type ParameterState } from './step.js';
import type {
  GradientsByName,
  Hyperparameters,
  LoadOptions,
  LoadReport,
  OptimizerJson,
  OptimizerStateDict,
  StepTarget,
} from './types.js';
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

/** A read-only view of one parameter's optimizer state, as {@link Optimizer.parameterState} returns it. */
export interface ParameterStateView {
  /** Updates this parameter has had. */
  readonly step: number;
  /** The parameter's shape. */
  readonly shape: readonly number[];
  /** The state arrays by slot name (live: the optimizer's own arrays). */
  readonly slots: { readonly [slot: string]: FloatArray };
  /** Extra scalars by name (such as NAdam's `muProduct`). */
  readonly scalars: { readonly [name: string]: number };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * An optimizer: an {@link UpdateRule} plus the state it keeps by parameter name. Every built-in
 * (`SGD`, `Adam`, ...) is one; construct your own with a custom rule the same way.
 *
 * - `step(target)` updates every trainable parameter of a layer, a model or an array of
 *   parameters from its `grad`; `step(layer, gradients)` takes gradients keyed by name instead.
 * - Each parameter's state (arrays in its own dtype, its own step count) is found by its name,
 *   so adding, removing or freezing layers never shifts anyone else's state.
 * - `stepCount` counts `step` calls and drives learning-rate schedules.
 * - `toJSON()` / `optimizerFromJSON()` and `stateDict()` / `loadStateDict()` save and restore
 *   everything; a restored optimizer continues bit for bit.
 *
 * @example
 * const optimizer = new Adam({ learningRate: 1e-3 });
 * for (const batch of batches) {
 *   model.backward(lossGradient(model.forward(batch.inputs), batch.targets));
 *   optimizer.step(model);
 * }
 * const saved = JSON.stringify(optimizer); // resume later with optimizerFromJSON(JSON.parse(saved))
 */
export class Optimizer<H extends Hyperparameters = Hyperparameters> {
  readonly #core: OptimizerCore<H>;
  readonly #config: JsonObject;
  readonly #plateauSchedules = new Map<string, ReduceLROnPlateauSchedule>();

  /** Checks `options` against `rule` (throwing `INVALID_ARGUMENT` errors that say the fix) and starts with empty state. */
  constructor(rule: UpdateRule<H>, options: unknown = {}) {
    const normalized = normalizeOptions(rule, options);
    const plateaus = new Map<string, ReturnType<typeof initialPlateauState>>();
    for (const group of [normalized.base, ...normalized.groups]) {
      // Groups with a numeric rate share the optimizer's schedule key; the top-level schedule registers it.
      if (
        typeof group.learningRate === 'object' &&
        group.learningRate.type === 'reduceLROnPlateau' &&
        !plateaus.has(group.scheduleKey)
      ) {
        plateaus.set(group.scheduleKey, initialPlateauState());
        this.#plateauSchedules.set(group.scheduleKey, group.learningRate);
      }
    }
    // learningRate starts as a non-integer so its field holds doubles from the start.
    const context = { step: 0, learningRate: 0.5 };
    this.#core = {
      rule,
      options: normalized,
      stepCount: 0,
      states: new Map(),
      plateaus,
      visit: 0,
      stepOperation: `${rule.type}.step`,
      context,
    };
    this.#config = deepFreeze(JSON.parse(JSON.stringify(normalized.json)) as JsonObject);
  }

  /** The registry key of this optimizer's algorithm, such as `Adam`. */
  get type(): string {
    return this.#core.rule.type;
  }

  /** Every option with defaults filled in, as frozen JSON (what `toJSON().config` holds). */
  get config(): JsonObject {
    return this.#config;
  }

  /** Number of `step` calls so far; schedules are evaluated at it. */
  get stepCount(): number {
    return this.#core.stepCount;
  }

  /**
   * Updates every trainable parameter of `target` in place. With `gradients`, each parameter's
   * gradient is `gradients[parameter.name]` (parameters without one are skipped); otherwise its
   * `grad`. Parameters with `trainable: false` are skipped and keep their state.
   */
  step(target: StepTarget, gradients?: GradientsByName): void {
    applyStep(this.#core, target, gradients);
  }

  /** The learning rate the next step uses for `parameterName` (its group's), or for the top-level options. */
  currentLearningRate(parameterName?: string): number {
    const core = this.#core;
    const group = parameterName === undefined ? core.options.base : groupOf(core.options, parameterName);
    return learningRateAt(group.learningRate, core.stepCount, core.plateaus.get(group.scheduleKey));
  }

  /**
   * Reports a metric (such as a validation loss) to every `reduceLROnPlateau` schedule of this
   * optimizer; typically called once per epoch. Does nothing without such a schedule.
   */
  observeMetric(metric: number): void {
    if (typeof metric !== 'number')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        `${this.type}.observeMetric`,
        `metric must be a number, got ${formatValue(metric)}`,
      );
    const core = this.#core;
    for (const [key, state] of core.plateaus) {
      core.plateaus.set(
        key,
        observePlateau(this.#plateauSchedules.get(key) as ReduceLROnPlateauSchedule, state, metric, core.stepCount),
      );
    }
    forgetLearningRates(core);
  }

  /** Names of the parameters that have state, in the order they were first stepped. */
  parameterNames(): string[] {
    return [...this.#core.states.keys()];
  }

  /** One parameter's state (live arrays, do not keep), or `undefined` if it has none. */
  parameterState(name: string): ParameterStateView | undefined {
    const state = this.#core.states.get(name);
    if (state === undefined) return undefined;
    return { step: state.step, shape: state.shape, slots: { ...state.slots }, scalars: { ...state.scalars } };
  }

  /** Forgets one parameter's state (it restarts from zero at its next step), or all state and the step count when no name is given. */
  resetState(name?: string): void {
    const core = this.#core;
    if (name !== undefined) {
      core.states.delete(name);
      return;
    }
    core.states.clear();
    core.stepCount = 0;
    for (const key of core.plateaus.keys()) core.plateaus.set(key, initialPlateauState());
    forgetLearningRates(core);
  }

  /**
   * A snapshot for checkpoints: `type`, `config` and `state` (every scalar: the step count, each
   * parameter's step, dtype, shape and scalars, schedule state) as JSON, and every state array
   * copied into `arrays` under `${parameterName}.${slot}`.
   */
  stateDict(): OptimizerStateDict {
    return saveStateDict(this.#core, this.#config);
  }

  /**
   * Replaces this optimizer's state with a saved one (its hyperparameters stay as constructed).
   * Checks the type, each array against its entry and these options, and with `target` the saved
   * names and shapes against the model's trainable parameters. Strict (default): any problem
   * throws one error listing all, and nothing changes. `{ strict: false }`: loads what matches.
   */
  loadStateDict(dict: OptimizerStateDict, options?: LoadOptions): LoadReport {
    return loadIntoCore(this.#core, dict, options);
  }

  /** The whole optimizer as plain JSON: `{ type, config, state }`, arrays as lists of numbers. */
  toJSON(): OptimizerJson {
    const core = this.#core;
    return stateDictToJson(this.stateDict(), (name) => core.states.get(name)?.group.slotNames ?? []);
  }

  /** Like {@link Optimizer.loadStateDict}, from `toJSON()` output (parsed or not yet stringified). */
  loadJSON(json: OptimizerJson, options?: LoadOptions): LoadReport {
    return loadIntoCore(this.#core, stateDictFromJson(json, `${this.type}.loadJSON`), options);
  }
}
