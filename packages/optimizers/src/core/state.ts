import type { FloatArray, FloatDType, JsonObject, JsonValue, Parameter } from '@annet/layer-api';
import { AnnetError, formatShape, formatValue } from '../annet-error.js';
import { initialPlateauState } from '../schedules/reduce-lr-on-plateau.js';
import type { PlateauState } from '../schedules/schedule-types.js';
import { decodeArray, decodeNumber, encodeArray, encodeNumber } from '../serialization/json-numbers.js';
import type { OptimizerCore } from './optimizer.js';
import { forgetLearningRates, groupOf, type ResolvedGroup } from './options.js';
import { parametersOf, sameShape, scalarRecord } from './step.js';
import type {
  Hyperparameters,
  LoadOptions,
  LoadReport,
  OptimizerJson,
  OptimizerStateDict,
  StateArray,
} from './types.js';

/*
 * Optimizer state as data: saving it (a state dict of JSON plus named arrays, or all JSON),
 * parsing a saved one, and loading it all-or-nothing. Every array is keyed
 * `${parameterName}.${slot}`, every scalar by name.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseError(operation: string, detail: string): never {
  throw new AnnetError('PARSE_ERROR', operation, detail);
}

// Saving

/**
 * A plateau state as JSON (`best` may be any float, so it goes through `encodeNumber`).
 *
 * @example
 * plateauToJson(initialPlateauState()); // { best: null, badEpochs: 0, cooldownCounter: 0, scale: 1 }
 */
export function plateauToJson(state: PlateauState): JsonObject {
  return {
    best: state.best === null ? null : encodeNumber(state.best),
    badEpochs: state.badEpochs,
    cooldownCounter: state.cooldownCounter,
    scale: encodeNumber(state.scale),
  };
}

/**
 * Snapshots an optimizer as a state dict: JSON for the type, config and every scalar, and a copy of
 * every state array keyed `${parameterName}.${slot}`.
 *
 * @example
 * const dict = saveStateDict(core, config); // dict.arrays['dense.weights.firstMoment']
 */
export function saveStateDict<H extends Hyperparameters>(
  core: OptimizerCore<H>,
  config: JsonObject,
): OptimizerStateDict {
  const schedules: Record<string, JsonValue> = {};
  for (const [key, state] of core.plateaus) schedules[key] = plateauToJson(state);
  const parameters: Record<string, JsonValue> = {};
  const arrays: Record<string, StateArray> = {};
  for (const [name, state] of core.states) {
    const scalars: Record<string, JsonValue> = {};
    for (const scalar of Object.keys(core.rule.initialScalars)) scalars[scalar] = encodeNumber(state.scalars[scalar]);
    parameters[name] = { step: state.step, dtype: state.dtype, shape: [...state.shape], scalars };
    for (const slot of state.group.slotNames)
      arrays[`${name}.${slot}`] = { shape: [...state.shape], value: state.slots[slot].slice() };
  }
  return { type: core.rule.type, config, state: { stepCount: core.stepCount, schedules, parameters }, arrays };
}

/**
 * The same content as plain JSON: each parameter's arrays move into its entry as
 * `slots: { firstMoment: [numbers...] }` (non-finite values and -0 as strings; see `encodeNumber`).
 *
 * @example
 * const json = stateDictToJson(dict, (name) => slotNamesOf(name));
 */
export function stateDictToJson(
  dict: OptimizerStateDict,
  slotNamesOf: (name: string) => readonly string[],
): OptimizerJson {
  const state = dict.state as { stepCount: number; schedules: JsonObject; parameters: Record<string, JsonObject> };
  const parameters: Record<string, JsonValue> = {};
  for (const [name, entry] of Object.entries(state.parameters)) {
    const slots: Record<string, JsonValue> = {};
    for (const slot of slotNamesOf(name)) slots[slot] = encodeArray(dict.arrays[`${name}.${slot}`].value);
    parameters[name] = { ...entry, slots };
  }
  return { type: dict.type, config: dict.config, state: { ...state, parameters } };
}

// Parsing

/**
 * Turns an optimizer's JSON (`toJSON()` output, possibly through `JSON.stringify`/`JSON.parse`)
 * back into a state dict, decoding each parameter's `slots` lists into typed arrays.
 *
 * @example
 * const dict = stateDictFromJson(JSON.parse(text), 'Adam.loadJSON');
 */
export function stateDictFromJson(json: unknown, operation: string): OptimizerStateDict {
  if (!isRecord(json))
    parseError(operation, `expected optimizer JSON { type, config, state }, got ${formatValue(json)}`);
  const { type, config, state } = json;
  if (typeof type !== 'string') parseError(operation, `type must be a string such as "Adam", got ${formatValue(type)}`);
  if (!isRecord(config)) parseError(operation, `config must be an object, got ${formatValue(config)}`);
  if (!isRecord(state) || !isRecord(state.parameters))
    parseError(operation, `state must be an object with parameters, got ${formatValue(state)}`);
  const arrays: Record<string, StateArray> = {};
  const parameters: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(state.parameters)) {
    if (!isRecord(raw)) {
      parameters[name] = raw;
      continue;
    }
    const { slots = {}, ...entry } = raw;
    parameters[name] = entry;
    if (!isRecord(slots))
      parseError(
        operation,
        `state.parameters[${JSON.stringify(name)}].slots must be an object, got ${formatValue(slots)}`,
      );
    const dtype = entry.dtype === 'float32' ? 'float32' : 'float64';
    const shape = Array.isArray(entry.shape) ? (entry.shape as number[]) : [];
    for (const [slot, list] of Object.entries(slots)) {
      const value = decodeArray(list, dtype);
      if (value === undefined) {
        parseError(
          operation,
          `state.parameters[${JSON.stringify(name)}].slots.${slot} must be a list of numbers (or "NaN", "Infinity", "-Infinity", "-0")`,
        );
      }
      arrays[`${name}.${slot}`] = { shape, value };
    }
  }
  return { type, config: config as JsonObject, state: { ...state, parameters } as JsonObject, arrays };
}

/** One saved parameter entry, checked. */
export interface ParsedEntry {
  readonly step: number;
  readonly dtype: FloatDType;
  readonly shape: readonly number[];
  readonly scalars: { [name: string]: number };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * Checks a saved parameter entry `{ step, dtype, shape, scalars }`; a string says what is wrong.
 *
 * @example
 * parseEntry({ step: 3, dtype: 'float32', shape: [2], scalars: {} }, []); // { step: 3, ... }
 */
export function parseEntry(raw: unknown, scalarNames: readonly string[]): ParsedEntry | string {
  if (!isRecord(raw)) return `entry must be an object, got ${formatValue(raw)}`;
  const { step, dtype, shape, scalars = {} } = raw;
  if (!isCount(step)) return `step must be an integer >= 0, got ${formatValue(step)}`;
  if (dtype !== 'float32' && dtype !== 'float64')
    return `dtype must be "float32" or "float64", got ${formatValue(dtype)}`;
  if (!Array.isArray(shape) || !shape.every(isCount))
    return `shape must be a list of integers >= 0, got ${formatValue(shape)}`;
  if (!isRecord(scalars)) return `scalars must be an object, got ${formatValue(scalars)}`;
  const values: { [name: string]: number } = {};
  for (const scalar of scalarNames) {
    const value = decodeNumber(scalars[scalar]);
    if (value === undefined) return `scalars.${scalar} must be a number, got ${formatValue(scalars[scalar])}`;
    values[scalar] = value;
  }
  const extra = Object.keys(scalars).filter((scalar) => !scalarNames.includes(scalar));
  if (extra.length > 0)
    return `scalars has unknown ${extra.join(', ')} (expected ${scalarNames.length === 0 ? 'none' : scalarNames.join(', ')})`;
  return { step, dtype, shape: [...shape], scalars: scalarRecord(values) };
}

/**
 * Checks a saved state array against its entry; a string says what is wrong.
 *
 * @example
 * checkSavedArray({ shape: [2], value: new Float32Array(2) }, entry); // undefined when it fits
 */
export function checkSavedArray(raw: unknown, entry: ParsedEntry): string | undefined {
  if (!isRecord(raw)) return `must be { shape, value }, got ${formatValue(raw)}`;
  const { shape, value } = raw;
  const expectedType = entry.dtype === 'float32' ? Float32Array : Float64Array;
  if (!(value instanceof expectedType))
    return `value must be a ${expectedType.name} (the state is ${entry.dtype}), got ${(value as object | undefined)?.constructor?.name ?? formatValue(value)}`;
  if (
    !Array.isArray(shape) ||
    shape.length !== entry.shape.length ||
    shape.some((dimension, axis) => dimension !== entry.shape[axis])
  ) {
    return `shape ${Array.isArray(shape) ? formatShape(shape) : formatValue(shape)} differs from the entry's ${formatShape(entry.shape)}`;
  }
  const size = entry.shape.reduce((product, dimension) => product * dimension, 1);
  if ((value as FloatArray).length !== size)
    return `has ${(value as FloatArray).length} values, shape ${formatShape(entry.shape)} needs ${size}`;
  return undefined;
}

/**
 * Checks a saved plateau state; a string says what is wrong.
 *
 * @example
 * parsePlateauState({ best: null, badEpochs: 0, cooldownCounter: 0, scale: 1 });
 */
export function parsePlateauState(raw: unknown): PlateauState | string {
  if (!isRecord(raw)) return `must be an object, got ${formatValue(raw)}`;
  const best = raw.best === null ? null : decodeNumber(raw.best);
  const scale = decodeNumber(raw.scale);
  if (best === undefined) return `best must be a number or null, got ${formatValue(raw.best)}`;
  if (!isCount(raw.badEpochs)) return `badEpochs must be an integer >= 0, got ${formatValue(raw.badEpochs)}`;
  if (!isCount(raw.cooldownCounter))
    return `cooldownCounter must be an integer >= 0, got ${formatValue(raw.cooldownCounter)}`;
  if (scale === undefined) return `scale must be a number, got ${formatValue(raw.scale)}`;
  return { best, badEpochs: raw.badEpochs, cooldownCounter: raw.cooldownCounter, scale };
}

/**
 * A copy of a saved array in a fresh buffer of the entry's type.
 *
 * @example
 * copyArray(saved.value, 'float32');
 */
export function copyArray(value: FloatArray, dtype: FloatDType): FloatArray {
  return dtype === 'float32' ? new Float32Array(value) : new Float64Array(value);
}

// Loading

interface Accepted<H extends Hyperparameters> {
  readonly name: string;
  readonly entry: ParsedEntry;
  readonly group: ResolvedGroup<H>;
  readonly slots: { [slot: string]: FloatArray };
}

/** The problems found so far, by kind; becomes the load report. */
interface Problems {
  readonly missing: string[];
  readonly unexpected: string[];
  readonly mismatched: string[];
}

/** The structural parts of a state dict, or a `PARSE_ERROR` when it is not one. */
function structure(
  operation: string,
  dict: unknown,
): {
  stepCount: number;
  schedules: Record<string, unknown>;
  parameters: Record<string, unknown>;
  arrays: Record<string, unknown>;
} {
  if (!isRecord(dict))
    parseError(operation, `expected a state dict { type, config, state, arrays }, got ${formatValue(dict)}`);
  const { state, arrays } = dict;
  if (!isRecord(state)) parseError(operation, `state must be an object, got ${formatValue(state)}`);
  if (!isRecord(arrays))
    parseError(operation, `arrays must be an object of { shape, value }, got ${formatValue(arrays)}`);
  const { stepCount, schedules = {}, parameters } = state;
  if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0)
    parseError(operation, `state.stepCount must be an integer >= 0, got ${formatValue(stepCount)}`);
  if (!isRecord(schedules)) parseError(operation, `state.schedules must be an object, got ${formatValue(schedules)}`);
  if (!isRecord(parameters))
    parseError(operation, `state.parameters must be an object, got ${formatValue(parameters)}`);
  return { stepCount: stepCount as number, schedules, parameters, arrays };
}

function trainableByName(target: LoadOptions['target'], operation: string): Map<string, Parameter> | undefined {
  if (target === undefined) return undefined;
  const map = new Map<string, Parameter>();
  for (const parameter of parametersOf(target, operation))
    if (parameter.trainable !== false) map.set(parameter.name, parameter);
  return map;
}

/** Copies of a saved entry's arrays by slot name, or `undefined` (problems recorded) if one is missing or does not fit. */
function savedSlots(
  name: string,
  slotNames: readonly string[],
  entry: ParsedEntry,
  arrays: Record<string, unknown>,
  problems: Problems,
): { [slot: string]: FloatArray } | undefined {
  const slots: { [slot: string]: FloatArray } = {};
  let complete = true;
  for (const slot of slotNames) {
    const key = `${name}.${slot}`;
    const saved = arrays[key];
    const problem = saved === undefined ? undefined : checkSavedArray(saved, entry);
    if (saved === undefined) problems.missing.push(key);
    else if (problem !== undefined) problems.mismatched.push(`${key}: ${problem}`);
    else slots[slot] = copyArray((saved as StateArray).value, entry.dtype);
    complete &&= slots[slot] !== undefined;
  }
  return complete ? slots : undefined;
}

/** Whether a saved entry fits the target's parameter of that name (problems recorded otherwise). */
function fitsTarget(name: string, entry: ParsedEntry, parameter: Parameter | undefined, problems: Problems): boolean {
  if (parameter === undefined) {
    problems.unexpected.push(name);
    return false;
  }
  const dtype = parameter.value instanceof Float32Array ? 'float32' : 'float64';
  if (!sameShape(parameter.shape, entry.shape))
    problems.mismatched.push(
      `${name}: shape ${formatShape(entry.shape)} saved, ${formatShape(parameter.shape)} in the target`,
    );
  else if (dtype !== entry.dtype)
    problems.mismatched.push(`${name}: dtype ${entry.dtype} saved, ${dtype} in the target`);
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
    const entry = parseEntry(raw, Object.keys(core.rule.initialScalars));
    if (typeof entry === 'string') {
      problems.mismatched.push(`${name}: ${entry}`);
      continue;
    }
    const slots = savedSlots(name, group.slotNames, entry, arrays, problems);
    const fits = target === undefined || fitsTarget(name, entry, target.get(name), problems);
    if (slots !== undefined && fits) accepted.push({ name, entry, group, slots });
  }
  for (const key of Object.keys(arrays)) if (!usedArrays.has(key)) problems.unexpected.push(key);
  if (target !== undefined)
    for (const name of target.keys()) if (!Object.hasOwn(parameters, name)) problems.missing.push(name);
  return accepted;
}

/** Checks the saved plateau states against this optimizer's stateful schedules; returns those that load. */
function acceptedPlateaus(
  core: OptimizerCore<Hyperparameters>,
  schedules: Record<string, unknown>,
  problems: Problems,
): Map<string, PlateauState> {
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
export function loadIntoCore<H extends Hyperparameters>(
  core: OptimizerCore<H>,
  dict: OptimizerStateDict,
  options: LoadOptions = {},
): LoadReport {
  const operation = `${core.rule.type}.loadStateDict`;
  if (isRecord(dict) && dict.type !== core.rule.type) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the state is for ${formatValue(dict.type)}, this optimizer is ${core.rule.type}; rebuild it with optimizerFromStateDict(dict) or construct a ${formatValue(dict.type)}`,
    );
  }
  const { stepCount, schedules, parameters, arrays } = structure(operation, dict);
  const problems: Problems = { missing: [], unexpected: [], mismatched: [] };
  const accepted = acceptedEntries(core, parameters, arrays, trainableByName(options.target, operation), problems);
  const plateaus = acceptedPlateaus(core as unknown as OptimizerCore<Hyperparameters>, schedules, problems);
  if (
    options.strict !== false &&
    problems.missing.length + problems.unexpected.length + problems.mismatched.length > 0
  ) {
    throw new AnnetError('INVALID_STATE', operation, problemsMessage(problems));
  }
  core.states.clear();
  for (const { name, entry, group, slots } of accepted) {
    core.states.set(name, {
      name,
      step: entry.step,
      shape: entry.shape,
      dtype: entry.dtype,
      slots,
      scalars: entry.scalars,
      group,
      visit: 0,
    });
  }
  for (const key of core.plateaus.keys()) core.plateaus.set(key, plateaus.get(key) ?? initialPlateauState());
  core.stepCount = stepCount;
  forgetLearningRates(core);
  return { loaded: accepted.map((item) => item.name), ...problems };
}
