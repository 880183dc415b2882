import type { FloatArray, JsonObject, Parameter } from '@annet/layer-api';
import { AnnetError, formatShape, formatValue } from '../annet-error.js';
import { decodeArray } from '../serialization/json-numbers.js';
import { initialPlateauState } from '../schedules/reduce-lr-on-plateau.js';
import type { PlateauState } from '../schedules/schedule-types.js';
import { forgetLearningRates, groupOf, type ResolvedGroup } from './config.js';
import type { OptimizerCore } from './optimizer-core.js';
import { parametersOf } from './parameters-of.js';
import { checkSavedArray, copyArray, parseEntry, parsePlateauState, type ParsedEntry } from './parse-state.js';
import { sameShape } from './parameter-state.js';
import type { Hyperparameters, LoadOptions, LoadReport, OptimizerStateDict, StateArray } from './types.js';

interface Accepted<H extends Hyperparameters> {
  readonly name: string;
  readonly entry: ParsedEntry;
  readonly group: ResolvedGroup<H>;
  readonly slots: FloatArray[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseError(operation: string, detail: string): never {
  throw new AnnetError('PARSE_ERROR', operation, detail);
}

/** The three structural parts of a state dict, or a `PARSE_ERROR` when it is not one. */
function structure(operation: string, dict: unknown): { stepCount: number; schedules: Record<string, unknown>; parameters: Record<string, unknown>; arrays: Record<string, unknown> } {
  if (!isRecord(dict)) parseError(operation, `expected a state dict { type, config, state, arrays }, got ${formatValue(dict)}`);
  const { state, arrays } = dict;
  if (!isRecord(state)) parseError(operation, `state must be an object, got ${formatValue(state)}`);
  if (!isRecord(arrays)) parseError(operation, `arrays must be an object of { shape, value }, got ${formatValue(arrays)}`);
  const { stepCount, schedules = {}, parameters } = state;
  if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0) parseError(operation, `state.stepCount must be an integer >= 0, got ${formatValue(stepCount)}`);
  if (!isRecord(schedules)) parseError(operation, `state.schedules must be an object, got ${formatValue(schedules)}`);
  if (!isRecord(parameters)) parseError(operation, `state.parameters must be an object, got ${formatValue(parameters)}`);
  return { stepCount: stepCount as number, schedules, parameters, arrays };
}

function trainableByName(target: LoadOptions['target'], operation: string): Map<string, Parameter> | undefined {
  if (target === undefined) return undefined;
  const map = new Map<string, Parameter>();
  for (const parameter of parametersOf(target, operation)) if (parameter.trainable !== false) map.set(parameter.name, parameter);
  return map;
}

function problemsMessage(report: LoadReport): string {
  const parts: string[] = [];
  if (report.missing.length > 0) parts.push(`missing ${report.missing.join(', ')}`);
  if (report.unexpected.length > 0) parts.push(`unexpected ${report.unexpected.join(', ')}`);
  if (report.mismatched.length > 0) parts.push(`mismatched ${report.mismatched.join('; ')}`);
  return `the saved state does not match (${parts.join(' | ')}); nothing was loaded. Fix the model or the optimizer's options, or pass { strict: false } to load what matches and get a report of the rest`;
}

/**
 * Checks a state dict against an optimizer (type, structure, arrays, options, and the target's
 * names and shapes when given), then replaces the optimizer's state. In strict mode any problem
 * throws one `INVALID_STATE` error listing all of them and nothing changes; otherwise what matches
 * loads and the report lists the rest.
 *
 * @example
 * const report = loadIntoCore(core, dict, { strict: false, target: model });
 */
export function loadIntoCore<H extends Hyperparameters>(core: OptimizerCore<H>, dict: OptimizerStateDict, options: LoadOptions = {}): LoadReport {
  const operation = `${core.rule.type}.loadStateDict`;
  if (isRecord(dict) && dict.type !== core.rule.type) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `the state is for ${formatValue(dict.type)}, this optimizer is ${core.rule.type}; rebuild it with optimizerFromStateDict(dict) or construct a ${formatValue(dict.type)}`);
  }
  const { stepCount, schedules, parameters, arrays } = structure(operation, dict);
  const targetParameters = trainableByName(options.target, operation);
  const missing: string[] = [];
  const unexpected: string[] = [];
  const mismatched: string[] = [];
  const usedArrays = new Set<string>();
  const accepted: Accepted<H>[] = [];
  for (const [name, raw] of Object.entries(parameters)) {
    const group = groupOf(core.options, name);
    for (const slot of group.slotNames) usedArrays.add(`${name}.${slot}`);
    const entry = parseEntry(raw, core.rule.scalarNames);
    if (typeof entry === 'string') {
      mismatched.push(`${name}: ${entry}`);
      continue;
    }
    let fits = true;
    const slots: FloatArray[] = [];
    for (const slot of group.slotNames) {
      const key = `${name}.${slot}`;
      const saved = arrays[key];
      const problem = saved === undefined ? undefined : checkSavedArray(saved, entry);
      if (saved === undefined) missing.push(key);
      else if (problem !== undefined) mismatched.push(`${key}: ${problem}`);
      else slots.push(copyArray((saved as StateArray).value, entry.dtype));
      fits &&= saved !== undefined && problem === undefined;
    }
    if (targetParameters !== undefined) {
      const parameter = targetParameters.get(name);
      const targetDtype = parameter?.value instanceof Float32Array ? 'float32' : 'float64';
      if (parameter === undefined) unexpected.push(name);
      else if (!sameShape(parameter.shape, entry.shape)) mismatched.push(`${name}: shape ${formatShape(entry.shape)} saved, ${formatShape(parameter.shape)} in the target`);
      else if (targetDtype !== entry.dtype) mismatched.push(`${name}: dtype ${entry.dtype} saved, ${targetDtype} in the target`);
      fits &&= parameter !== undefined && sameShape(parameter.shape, entry.shape) && targetDtype === entry.dtype;
    }
    if (fits) accepted.push({ name, entry, group, slots });
  }
  for (const key of Object.keys(arrays)) if (!usedArrays.has(key)) unexpected.push(key);
  if (targetParameters !== undefined) for (const name of targetParameters.keys()) if (!Object.hasOwn(parameters, name)) missing.push(name);
  const plateaus = new Map<string, PlateauState>();
  for (const key of core.plateaus.keys()) {
    const parsed = schedules[key] === undefined ? undefined : parsePlateauState(schedules[key]);
    if (parsed === undefined) missing.push(`schedules.${key}`);
    else if (typeof parsed === 'string') mismatched.push(`schedules.${key}: ${parsed}`);
    else plateaus.set(key, parsed);
  }
  for (const key of Object.keys(schedules)) if (!core.plateaus.has(key)) unexpected.push(`schedules.${key}`);
  const report: LoadReport = { loaded: accepted.map((item) => item.name), missing, unexpected, mismatched };
  if (options.strict !== false && missing.length + unexpected.length + mismatched.length > 0) {
    throw new AnnetError('INVALID_STATE', operation, problemsMessage(report));
  }
  core.states.clear();
  for (const { name, entry, group, slots } of accepted) {
    core.states.set(name, { name, step: entry.step, shape: entry.shape, dtype: entry.dtype, slots, scalars: entry.scalars, group, visit: 0 });
  }
  for (const key of core.plateaus.keys()) core.plateaus.set(key, plateaus.get(key) ?? initialPlateauState());
  core.stepCount = stepCount;
  forgetLearningRates(core);
  return report;
}

/**
 * Turns an optimizer's JSON (`toJSON()` output, possibly through `JSON.stringify`/`JSON.parse`)
 * back into a state dict, decoding each parameter's `slots` lists into typed arrays.
 *
 * @example
 * const dict = stateDictFromJson(JSON.parse(text), 'Adam.loadJSON');
 */
export function stateDictFromJson(json: unknown, operation: string): OptimizerStateDict {
  if (!isRecord(json)) parseError(operation, `expected optimizer JSON { type, config, state }, got ${formatValue(json)}`);
  const { type, config, state } = json;
  if (typeof type !== 'string') parseError(operation, `type must be a string such as "Adam", got ${formatValue(type)}`);
  if (!isRecord(config)) parseError(operation, `config must be an object, got ${formatValue(config)}`);
  if (!isRecord(state) || !isRecord(state.parameters)) parseError(operation, `state must be an object with parameters, got ${formatValue(state)}`);
  const arrays: Record<string, StateArray> = {};
  const parameters: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(state.parameters)) {
    if (!isRecord(raw)) {
      parameters[name] = raw;
      continue;
    }
    const { slots = {}, ...entry } = raw;
    parameters[name] = entry;
    if (!isRecord(slots)) parseError(operation, `state.parameters[${JSON.stringify(name)}].slots must be an object, got ${formatValue(slots)}`);
    const dtype = entry.dtype === 'float32' ? 'float32' : 'float64';
    const shape = Array.isArray(entry.shape) ? (entry.shape as number[]) : [];
    for (const [slot, list] of Object.entries(slots)) {
      const value = decodeArray(list, dtype);
      if (value === undefined) {
        parseError(operation, `state.parameters[${JSON.stringify(name)}].slots.${slot} must be a list of numbers (or "NaN", "Infinity", "-Infinity", "-0")`);
      }
      arrays[`${name}.${slot}`] = { shape, value };
    }
  }
  return { type, config: config as JsonObject, state: { ...state, parameters } as JsonObject, arrays };
}
