import type { JsonObject } from '@annet/layer-api';
import { AnnetError, formatValue } from '../annet-error.js';
import { decodeArray } from '../serialization/json-numbers.js';
import type { OptimizerStateDict, StateArray } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseError(operation: string, detail: string): never {
  throw new AnnetError('PARSE_ERROR', operation, detail);
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
