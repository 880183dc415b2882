import type { FloatArray, FloatDType, Parameter } from '@annet/layer-api';
import { AnnetError, formatShape, formatValue } from '../annet-error.js';
import { cycledMomentumAt, learningRateAt } from '../schedules/learning-rate-at.js';
import type { OptimizerCore } from './optimizer.js';
import { groupOf, type ResolvedGroup } from './options.js';
import { optimizerKernelsFor, type OptimizerKernels } from '../kernels/optimizer-kernels.js';
import type { GradientsByName, Hyperparameters, StepTarget } from './types.js';
import type { RuleState, UpdateRule } from './update-rule.js';

/*
 * One optimizer step, from `optimizer.step(model)` to the rule's arithmetic: find the parameters,
 * check them all (nothing changes when one is wrong), then per parameter find its state by name
 * (creating it on the first step), its group's learning rate (and cycled momentum) at the step
 * count, and call `rule.update(value, gradient, state, context, hyperparameters)`.
 */

/**
 * The parameters of a step target: the array itself, or `target.parameters()` for a layer or
 * model. Anything else is an `INVALID_ARGUMENT` error for `operation`.
 *
 * @example
 * parametersOf(dense, 'Adam.step'); // dense.parameters()
 */
export function parametersOf(target: StepTarget, operation: string): readonly Parameter[] {
  if (Array.isArray(target)) return target as readonly Parameter[];
  if (
    typeof target === 'object' &&
    target !== null &&
    typeof (target as { parameters?: unknown }).parameters === 'function'
  ) {
    return (target as { parameters(): readonly Parameter[] }).parameters();
  }
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `expected a layer or model (an object with parameters()) or an array of parameters, got ${formatValue(target)}`,
  );
}

/** Everything an optimizer keeps for one parameter, found by the parameter's name. */
export interface ParameterState<H extends Hyperparameters = Hyperparameters> extends RuleState {
  /** The parameter's name. */
  readonly name: string;
  /** How many updates this parameter has had (bias corrections use it, not the global count). */
  step: number;
  /** The parameter's shape when the state was created. */
  readonly shape: readonly number[];
  /** Element type of the state arrays: the parameter's own. */
  readonly dtype: FloatDType;
  /** The state arrays by slot name (`group.slotNames`); moved into the parameter's memory for the SIMD kernels. */
  readonly slots: { [slot: string]: FloatArray };
  /** The SIMD kernels this state's arrays were placed for; `undefined` until a step decides, `null` for the TypeScript update. */
  kernels?: OptimizerKernels | null;
  /** The memory that decision was made for (a parameter moved to another memory is placed again). */
  kernelsMemory?: WebAssembly.Memory;
  /** 16 float32s in that memory for a step's numbers, which the kernels read there. */
  kernelNumbers?: Float32Array;
  /** Extra float64 scalars by name (the rule's `initialScalars` keys). */
  readonly scalars: { [name: string]: number };
  /** The options that apply to this parameter. */
  readonly group: ResolvedGroup<H>;
  /** Stamp of the last `step` call that validated this state (finds duplicate names without allocating). */
  visit: number;
}

/**
 * Number of elements of a shape.
 *
 * @example
 * sizeOfShape([3, 4]); // 12
 */
export function sizeOfShape(shape: readonly number[]): number {
  let size = 1;
  for (const dimension of shape) size *= dimension;
  return size;
}

/**
 * Whether two shapes are equal, dimension by dimension.
 *
 * @example
 * sameShape([3, 4], [3, 4]); // true
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let axis = 0; axis < a.length; axis++) if (a[axis] !== b[axis]) return false;
  return true;
}

/**
 * A new typed array of `dtype` and `length`.
 *
 * @example
 * allocateArray('float32', 12); // Float32Array(12)
 */
export function allocateArray(dtype: FloatDType, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/**
 * A parameter's scalars as an object of doubles. Each field is written a non-integer first, so V8
 * gives it a double representation and later writes of a step's value update it in place (a field
 * first holding a small integer such as NAdam's starting `muProduct` of 1 would box every write).
 *
 * @example
 * scalarRecord({ muProduct: 1 }); // { muProduct: 1 }
 */
export function scalarRecord(values: { readonly [name: string]: number }): { [name: string]: number } {
  const scalars: { [name: string]: number } = {};
  for (const name of Object.keys(values)) {
    scalars[name] = 0.5;
    scalars[name] = values[name];
  }
  return scalars;
}

/**
 * Fresh state for a parameter: zeroed arrays (or the rule's initial value), initial scalars, step 0.
 *
 * @example
 * const state = createParameterState(adamRule, group, 'dense.weights', [3, 4], 'float32');
 */
export function createParameterState<H extends Hyperparameters>(
  rule: UpdateRule<H>,
  group: ResolvedGroup<H>,
  name: string,
  shape: readonly number[],
  dtype: FloatDType,
): ParameterState<H> {
  const size = sizeOfShape(shape);
  const slots: Record<string, FloatArray> = {};
  for (const slot of group.slotNames) {
    const array = allocateArray(dtype, size);
    const initial = rule.initialSlotValue?.(slot, group.hyperparameters) ?? 0;
    if (initial !== 0) array.fill(initial);
    slots[slot] = array;
  }
  return {
    name,
    step: 0,
    shape: [...shape],
    dtype,
    slots,
    scalars: scalarRecord(rule.initialScalars),
    group,
    visit: 0,
  };
}

function fail(
  core: OptimizerCore<Hyperparameters>,
  code: 'SHAPE_MISMATCH' | 'DTYPE_MISMATCH' | 'INVALID_ARGUMENT',
  detail: string,
): never {
  throw new AnnetError(code, core.stepOperation, detail);
}

/** The gradient a step uses for `parameter`, or `undefined` to skip it (frozen, or no gradient given). */
function gradientOf(parameter: Parameter, gradients: GradientsByName | undefined): FloatArray | undefined {
  if (parameter.trainable === false) return undefined;
  return gradients === undefined ? parameter.grad : gradients[parameter.name];
}

/** Throws when a parameter, its gradient and its existing state do not fit together. */
function checkParameter(core: OptimizerCore<Hyperparameters>, parameter: Parameter, gradient: FloatArray): void {
  const { name, value, shape } = parameter;
  if (!(gradient instanceof Float32Array || gradient instanceof Float64Array)) {
    fail(
      core,
      'INVALID_ARGUMENT',
      `the gradient of "${name}" must be a Float32Array or Float64Array, got ${Object.prototype.toString.call(gradient)}`,
    );
  }
  if (gradient.length !== value.length) {
    fail(
      core,
      'SHAPE_MISMATCH',
      `parameter "${name}" has ${value.length} values but its gradient has ${gradient.length}; the gradient must have the parameter's shape ${formatShape(shape)}`,
    );
  }
  const state = core.states.get(name);
  if (state === undefined) {
    if (sizeOfShape(shape) !== value.length)
      fail(core, 'SHAPE_MISMATCH', `parameter "${name}" has shape ${formatShape(shape)} but ${value.length} values`);
    return;
  }
  if (!sameShape(state.shape, shape)) {
    fail(
      core,
      'SHAPE_MISMATCH',
      `parameter "${name}" has shape ${formatShape(shape)} but its optimizer state has ${formatShape(state.shape)}; call resetState("${name}") to start its state afresh`,
    );
  }
  if ((state.dtype === 'float32') !== value instanceof Float32Array) {
    fail(
      core,
      'DTYPE_MISMATCH',
      `parameter "${name}" is ${state.dtype === 'float32' ? 'float64' : 'float32'} but its optimizer state is ${state.dtype}; call resetState("${name}") to start its state afresh`,
    );
  }
}

/** Throws when `gradients` names a parameter the target does not have (a typo would otherwise be silently ignored). */
function checkGradientNames(
  core: OptimizerCore<Hyperparameters>,
  parameters: readonly Parameter[],
  gradients: GradientsByName,
  matched: number,
): void {
  let keys = 0;
  for (const key in gradients) if (gradients[key] !== undefined) keys++;
  if (keys === matched) return;
  const known = new Set(parameters.map((parameter) => parameter.name));
  const unknown = Object.keys(gradients).filter((key) => gradients[key] !== undefined && !known.has(key));
  if (unknown.length === 0) return; // the counts differed only because two parameters share a name
  fail(
    core,
    'INVALID_ARGUMENT',
    `gradients given for ${unknown.map((key) => `"${key}"`).join(', ')}, which the target has no parameter of; expected names among ${[...known].join(', ')}`,
  );
}

/** First pass: validates every parameter before anything changes, so a bad one leaves all untouched. */
function validate(
  core: OptimizerCore<Hyperparameters>,
  parameters: readonly Parameter[],
  gradients: GradientsByName | undefined,
): void {
  const visit = ++core.visit;
  let fresh: Set<string> | undefined;
  let matched = 0;
  for (let index = 0; index < parameters.length; index++) {
    const parameter = parameters[index];
    if (gradients !== undefined && gradients[parameter.name] !== undefined) matched++;
    const gradient = gradientOf(parameter, gradients);
    if (gradient === undefined) continue;
    checkParameter(core, parameter, gradient);
    const state = core.states.get(parameter.name);
    const duplicate = state === undefined ? fresh?.has(parameter.name) === true : state.visit === visit;
    if (duplicate)
      fail(
        core,
        'INVALID_ARGUMENT',
        `two parameters are named "${parameter.name}"; optimizer state is keyed by name, so names must be unique`,
      );
    if (state === undefined) (fresh ??= new Set()).add(parameter.name);
    else state.visit = visit;
  }
  if (gradients !== undefined) checkGradientNames(core, parameters, gradients, matched);
}

/**
 * The SIMD kernels for this parameter's step, or `null` for the TypeScript update: only for a
 * float32 parameter with a `memory`, stepped from its own `grad`, under a rule with a
 * `simdUpdate`. The first time, the state arrays move into the parameter's memory (one copy); a
 * memory without room, or a runtime without WebAssembly SIMD, keeps the TypeScript update.
 */
function kernelsFor(
  rule: UpdateRule<Hyperparameters>,
  parameter: Parameter,
  gradient: FloatArray,
  state: ParameterState,
): OptimizerKernels | null {
  const memory = parameter.memory;
  if (
    memory === undefined ||
    rule.simdUpdate === undefined ||
    gradient !== parameter.grad ||
    !(parameter.value instanceof Float32Array)
  )
    return null;
  if (state.kernels !== undefined && state.kernelsMemory === memory.memory) return state.kernels;
  state.kernelsMemory = memory.memory;
  let kernels = optimizerKernelsFor(memory.memory, memory.parallel);
  const numbers = kernels === null ? null : memory.allocateFloat32(16);
  if (numbers === null) kernels = null;
  else state.kernelNumbers = numbers;
  for (const slot of state.group.slotNames) {
    if (kernels === null) break;
    const resident = memory.allocateFloat32(state.slots[slot].length);
    if (resident === null) kernels = null;
    else {
      resident.set(state.slots[slot]);
      state.slots[slot] = resident;
    }
  }
  state.kernels = kernels;
  return kernels;
}

/**
 * One optimizer step: checks every trainable parameter first, then updates each in place with the
 * rule, its own state and step count, and its group's learning rate at the global step count.
 * Nothing is allocated once every parameter has state.
 *
 * @example
 * applyStep(core, model, undefined); // what optimizer.step(model) does
 */
export function applyStep<H extends Hyperparameters>(
  core: OptimizerCore<H>,
  target: StepTarget,
  gradients: GradientsByName | undefined,
): void {
  const parameters = parametersOf(target, core.stepOperation);
  validate(core as unknown as OptimizerCore<Hyperparameters>, parameters, gradients);
  const stepCount = core.stepCount;
  for (let index = 0; index < parameters.length; index++) {
    const parameter = parameters[index];
    const gradient = gradientOf(parameter, gradients);
    if (gradient === undefined) continue;
    let state = core.states.get(parameter.name);
    if (state === undefined) {
      const dtype = parameter.value instanceof Float32Array ? 'float32' : 'float64';
      state = createParameterState(
        core.rule,
        groupOf(core.options, parameter.name),
        parameter.name,
        parameter.shape,
        dtype,
      );
      core.states.set(parameter.name, state);
    }
    state.step += 1;
    const group = state.group;
    const cache = group.rateCache;
    if (cache[0] !== stepCount) {
      cache[1] = learningRateAt(group.learningRate, stepCount, core.plateaus.get(group.scheduleKey));
      cache[0] = stepCount;
      const cycled = group.cycledMomentum;
      if (cycled !== undefined) {
        const momentum = cycledMomentumAt(group.learningRate, stepCount);
        (group.hyperparameters as Record<string, number>)[cycled.name] = Number.isNaN(momentum)
          ? cycled.configured
          : momentum;
      }
    }
    const context = core.context;
    context.step = state.step;
    context.learningRate = cache[1];
    const kernels =
      parameter.memory === undefined
        ? null
        : kernelsFor(
            core.rule as unknown as UpdateRule<Hyperparameters>,
            parameter,
            gradient,
            state as unknown as ParameterState,
          );
    if (kernels === null) core.rule.update(parameter.value, gradient, state, context, group.hyperparameters);
    else
      (core.rule.simdUpdate as NonNullable<UpdateRule<H>['simdUpdate']>)(
        kernels,
        parameter.value as Float32Array,
        gradient as Float32Array,
        state,
        context,
        group.hyperparameters,
        state.kernelNumbers as Float32Array,
      );
  }
  core.stepCount = stepCount + 1;
}
