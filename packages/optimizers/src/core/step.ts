import type { FloatArray, Parameter } from '@annet/layer-api';
import { AnnetError, formatShape } from '../annet-error.js';
import { cycledMomentumAt, learningRateAt } from '../schedules/learning-rate-at.js';
import { groupOf } from './config.js';
import type { OptimizerCore } from './optimizer-core.js';
import { parametersOf } from './parameters-of.js';
import { createParameterState, sameShape, sizeOfShape } from './parameter-state.js';
import type { GradientsByName, Hyperparameters, StepTarget } from './types.js';

function fail(core: OptimizerCore<Hyperparameters>, code: 'SHAPE_MISMATCH' | 'DTYPE_MISMATCH' | 'INVALID_ARGUMENT', detail: string): never {
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
    fail(core, 'INVALID_ARGUMENT', `the gradient of "${name}" must be a Float32Array or Float64Array, got ${Object.prototype.toString.call(gradient)}`);
  }
  if (gradient.length !== value.length) {
    fail(core, 'SHAPE_MISMATCH', `parameter "${name}" has ${value.length} values but its gradient has ${gradient.length}; the gradient must have the parameter's shape ${formatShape(shape)}`);
  }
  const state = core.states.get(name);
  if (state === undefined) {
    if (sizeOfShape(shape) !== value.length) fail(core, 'SHAPE_MISMATCH', `parameter "${name}" has shape ${formatShape(shape)} but ${value.length} values`);
    return;
  }
  if (!sameShape(state.shape, shape)) {
    fail(core, 'SHAPE_MISMATCH', `parameter "${name}" has shape ${formatShape(shape)} but its optimizer state has ${formatShape(state.shape)}; call resetState("${name}") to start its state afresh`);
  }
  if ((state.dtype === 'float32') !== (value instanceof Float32Array)) {
    fail(core, 'DTYPE_MISMATCH', `parameter "${name}" is ${state.dtype === 'float32' ? 'float64' : 'float32'} but its optimizer state is ${state.dtype}; call resetState("${name}") to start its state afresh`);
  }
}

/** Throws when `gradients` names a parameter the target does not have (a typo would otherwise be silently ignored). */
function checkGradientNames(core: OptimizerCore<Hyperparameters>, parameters: readonly Parameter[], gradients: GradientsByName, matched: number): void {
  let keys = 0;
  for (const key in gradients) if (gradients[key] !== undefined) keys++;
  if (keys === matched) return;
  const known = new Set(parameters.map((parameter) => parameter.name));
  const unknown = Object.keys(gradients).filter((key) => gradients[key] !== undefined && !known.has(key));
  if (unknown.length === 0) return; // the counts differed only because two parameters share a name
  fail(core, 'INVALID_ARGUMENT', `gradients given for ${unknown.map((key) => `"${key}"`).join(', ')}, which the target has no parameter of; expected names among ${[...known].join(', ')}`);
}

/** First pass: validates every parameter before anything changes, so a bad one leaves all untouched. */
function validate(core: OptimizerCore<Hyperparameters>, parameters: readonly Parameter[], gradients: GradientsByName | undefined): void {
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
    if (duplicate) fail(core, 'INVALID_ARGUMENT', `two parameters are named "${parameter.name}"; optimizer state is keyed by name, so names must be unique`);
    if (state === undefined) (fresh ??= new Set()).add(parameter.name);
    else state.visit = visit;
  }
  if (gradients !== undefined) checkGradientNames(core, parameters, gradients, matched);
}

/**
 * One optimizer step: checks every trainable parameter first, then updates each in place with the
 * rule, its own state and step count, and its group's learning rate at the global step count.
 * Nothing is allocated once every parameter has state.
 *
 * @example
 * applyStep(core, model, undefined); // what optimizer.step(model) does
 */
export function applyStep<H extends Hyperparameters>(core: OptimizerCore<H>, target: StepTarget, gradients: GradientsByName | undefined): void {
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
      state = createParameterState(core.rule, groupOf(core.options, parameter.name), parameter.name, parameter.shape, dtype);
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
        (group.hyperparameters as Record<string, number>)[cycled.name] = Number.isNaN(momentum) ? cycled.configured : momentum;
      }
    }
    const context = core.context;
    context.step = state.step;
    context.learningRate = cache[1];
    core.rule.update(parameter.value, gradient, state.slots, state.scalars, context, group.hyperparameters);
  }
  core.stepCount = stepCount + 1;
}
