import type { FloatArray, Parameter } from '@annet/layer-api';
import { AnnetError, formatShape, formatValue } from '../annet-error.js';
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

/** The problems found so far, by kind; becomes the load report. */
interface Problems {
  readonly missing: string[];
  readonly unexpected: string[];
  readonly mismatched: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseError(operation: string, detail: string): never {
  throw new AnnetError('PARSE_ERROR', operation, detail);
}

/** The structural parts of a state dict, or a `PARSE_ERROR` when it is not one. */
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

/** Copies of a saved entry's arrays in slot order, or `undefined` (problems recorded) if one is missing or does not fit. */
function savedSlots(name: string, slotNames: readonly string[], entry: ParsedEntry, arrays: Record<string, unknown>, problems: Problems): FloatArray[] | undefined {
  const slots: FloatArray[] = [];
  for (const slot of slotNames) {
    const key = `${name}.${slot}`;
    const saved = arrays[key];
    const problem = saved === undefined ? undefined : checkSavedArray(saved, entry);
    if (saved === undefined) problems.missing.push(key);
    else if (problem !== undefined) problems.mismatched.push(`${key}: ${problem}`);
    else slots.push(copyArray((saved as StateArray).value, entry.dtype));
  }
  return slots.length === slotNames.length ? slots : undefined;
}

/** Whether a saved entry fits the target's parameter of that name (problems recorded otherwise). */
function fitsTarget(name: string, entry: ParsedEntry, parameter: Parameter | undefined, problems: Problems): boolean {
  if (parameter === undefined) {
    problems.unexpected.push(name);
    return false;
  }
  const dtype = parameter.value instanceof Float32Array ? 'float32' : 'float64';
  if (!sameShape(parameter.shape, entry.shape)) problems.mismatched.push(`${name}: shape ${formatShape(entry.shape)} saved, ${formatShape(parameter.shape)} in the target`);
  else if (dtype !== entry.dtype) problems.mismatched.push(`${name}: dtype ${entry.dtype} saved, ${dtype} in the target`);
  else return true;
  return false;
}

/** Checks every saved parameter entry; returns those that load. */
function acceptedEntries<H extends Hyperparameters>(
  core: OptimizerCore<H>,
  parameters: Record<string, unknown>,
  arrays: Record<string, unknown>,
  target: Map<string, Parameter> | undefined,
  problems: Problems,
): Accepted<H>[] {
  const accepted: Accepted<H>[] = [];
  const usedArrays = new Set<string>();
  for (const [name, raw] of Object.entries(parameters)) {
    const group = groupOf(core.options, name);
    for (const slot of group.slotNames) usedArrays.add(`${name}.${slot}`);
    const entry = parseEntry(raw, core.rule.scalarNames);
    if (typeof entry === 'string') {
      problems.mismatched.push(`${name}: ${entry}`);
      continue;
    }
    const slots = savedSlots(name, group.slotNames, entry, arrays, problems);
    const fits = target === undefined || fitsTarget(name, entry, target.get(name), problems);
    if (slots !== undefined && fits) accepted.push({ name, entry, group, slots });
  }
  for (const key of Object.keys(arrays)) if (!usedArrays.has(key)) problems.unexpected.push(key);
  if (target !== undefined) for (const name of target.keys()) if (!Object.hasOwn(parameters, name)) problems.missing.push(name);
  return accepted;
}

/** Checks the saved plateau states against this optimizer's stateful schedules; returns those that load. */
function acceptedPlateaus(core: OptimizerCore<Hyperparameters>, schedules: Record<string, unknown>, problems: Problems): Map<string, PlateauState> {
  const plateaus = new Map<string, PlateauState>();
  for (const key of core.plateaus.keys()) {
    const parsed = schedules[key] === undefined ? undefined : parsePlateauState(schedules[key]);
    if (parsed === undefined) problems.missing.push(`schedules.${key}`);
    else if (typeof parsed === 'string') problems.mismatched.push(`schedules.${key}: ${parsed}`);
    else plateaus.set(key, parsed);
  }
  for (const key of Object.keys(schedules)) if (!core.plateaus.has(key)) problems.unexpected.push(`schedules.${key}`);
  return plateaus;
}

function problemsMessage(problems: Problems): string {
  const parts: string[] = [];
  if (problems.missing.length > 0) parts.push(`missing ${problems.missing.join(', ')}`);
  if (problems.unexpected.length > 0) parts.push(`unexpected ${problems.unexpected.join(', ')}`);
  if (problems.mismatched.length > 0) parts.push(`mismatched ${problems.mismatched.join('; ')}`);
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
  const problems: Problems = { missing: [], unexpected: [], mismatched: [] };
  const accepted = acceptedEntries(core, parameters, arrays, trainableByName(options.target, operation), problems);
  const plateaus = acceptedPlateaus(core as unknown as OptimizerCore<Hyperparameters>, schedules, problems);
  if (options.strict !== false && problems.missing.length + problems.unexpected.length + problems.mismatched.length > 0) {
    throw new AnnetError('INVALID_STATE', operation, problemsMessage(problems));
  }
  core.states.clear();
  for (const { name, entry, group, slots } of accepted) {
    core.states.set(name, { name, step: entry.step, shape: entry.shape, dtype: entry.dtype, slots, scalars: entry.scalars, group, visit: 0 });
  }
  for (const key of core.plateaus.keys()) core.plateaus.set(key, plateaus.get(key) ?? initialPlateauState());
  core.stepCount = stepCount;
  forgetLearningRates(core);
  return { loaded: accepted.map((item) => item.name), ...problems };
}
