import type { JsonValue } from '@annet/layer-api';
import { AnnetError } from '../annet-error.js';
import type { ValueRule } from './rules.js';

/** How one field of an options object is checked, and its default when it may be left out. */
export interface FieldSpec {
  /** The check; see {@link ValueRule}. */
  readonly rule: ValueRule;
  /** The value used when the field is absent; a field without a default is required. */
  readonly default?: JsonValue;
}

/** PyTorch (and common) spellings mapped to annet's, so an unknown option can say what to write. */
const renames: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  eps: 'epsilon',
  betas: 'beta1 and beta2',
  weight_decay: 'weightDecay',
  lr_decay: 'lrDecay',
  initial_accumulator_value: 'initialAccumulatorValue',
  momentum_decay: 'momentumDecay',
  decoupled_weight_decay: 'decoupledWeightDecay',
  min_lr: 'minLearningRate',
  step_size: 'stepSize',
  T_max: 'totalSteps',
  total_steps: 'totalSteps',
  max_lr: 'maxLearningRate',
  params: 'nothing here: pass the parameters to step(target)',
  match: 'names: [...] or pattern: "regular expression" (a function cannot be saved)',
};

/**
 * Throws the `INVALID_ARGUMENT` error `${operation}: ${detail}`.
 *
 * @example
 * if (beta1 >= 1) invalid('Adam', `beta1 must be in [0, 1), got ${beta1}`);
 */
export function invalid(operation: string, detail: string): never {
  throw new AnnetError('INVALID_ARGUMENT', operation, detail);
}

/**
 * Checks a plain options object against `fields` and returns it with defaults filled in (with
 * `partial`, only the fields present, as for a parameter group's overrides). An unknown key is an
 * error that names the expected keys (or the annet spelling of a PyTorch name); the first bad value
 * is an error such as `Adam: beta1 must be in [0, 1), got 1.2`. `extraKeys` are allowed and
 * ignored (the caller checks them).
 *
 * @example
 * const config = checkFields('Adam', '', { beta1: 0.8 }, { beta1: { rule: numberIn(0, 1, { highOpen: true }), default: 0.9 } });
 */
export function checkFields(
  operation: string,
  prefix: string,
  input: unknown,
  fields: Readonly<Record<string, FieldSpec>>,
  extraKeys: readonly string[] = [],
  partial = false,
): Record<string, JsonValue> {
  const where = prefix === '' ? 'options' : prefix.slice(0, -1);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalid(operation, `${where} must be an object, got ${JSON.stringify(input) ?? String(input)}`);
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key in fields || extraKeys.includes(key)) continue;
    const rename = renames[key];
    const hint =
      rename === undefined ? `expected one of ${[...Object.keys(fields), ...extraKeys].join(', ')}` : `use ${rename}`;
    invalid(operation, `unknown option ${prefix}${key}; ${hint}`);
  }
  const output: Record<string, JsonValue> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const value = record[key];
    if (value === undefined) {
      if (partial) continue;
      if (spec.default === undefined) invalid(operation, `${prefix}${key} is required`);
      output[key] = spec.default;
      continue;
    }
    const problem = spec.rule(value);
    if (problem !== undefined) invalid(operation, `${prefix}${key} ${problem}`);
    output[key] = value as JsonValue;
  }
  return output;
}
