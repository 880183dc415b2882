import type { JsonObject, JsonValue } from '@annet/layer-api';
import { encodeArray, encodeNumber } from '../serialization/json-numbers.js';
import type { PlateauState } from '../schedules/schedule-types.js';
import type { OptimizerCore } from './optimizer-core.js';
import type { Hyperparameters, OptimizerJson, OptimizerStateDict, StateArray } from './types.js';

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
export function saveStateDict<H extends Hyperparameters>(core: OptimizerCore<H>, config: JsonObject): OptimizerStateDict {
  const schedules: Record<string, JsonValue> = {};
  for (const [key, state] of core.plateaus) schedules[key] = plateauToJson(state);
  const parameters: Record<string, JsonValue> = {};
  const arrays: Record<string, StateArray> = {};
  for (const [name, state] of core.states) {
    const scalars: Record<string, JsonValue> = {};
    core.rule.scalarNames.forEach((scalar, index) => {
      scalars[scalar] = encodeNumber(state.scalars[index]);
    });
    parameters[name] = { step: state.step, dtype: state.dtype, shape: [...state.shape], scalars };
    state.group.slotNames.forEach((slot, index) => {
      arrays[`${name}.${slot}`] = { shape: [...state.shape], value: state.slots[index].slice() };
    });
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
export function stateDictToJson(dict: OptimizerStateDict, slotNamesOf: (name: string) => readonly string[]): OptimizerJson {
  const state = dict.state as { stepCount: number; schedules: JsonObject; parameters: Record<string, JsonObject> };
  const parameters: Record<string, JsonValue> = {};
  for (const [name, entry] of Object.entries(state.parameters)) {
    const slots: Record<string, JsonValue> = {};
    for (const slot of slotNamesOf(name)) slots[slot] = encodeArray(dict.arrays[`${name}.${slot}`].value);
    parameters[name] = { ...entry, slots };
  }
  return { type: dict.type, config: dict.config, state: { ...state, parameters } };
}
