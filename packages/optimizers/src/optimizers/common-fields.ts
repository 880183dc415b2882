import type { FieldSpec } from '../validation/fields.js';
import { atLeast, isBoolean, numberIn } from '../validation/rules.js';

/**
 * A decay rate in [0, 1), such as Adam's `beta1`.
 *
 * @example
 * const fields = { beta1: betaField(0.9) };
 */
export function betaField(defaultValue: number): FieldSpec {
  return { rule: numberIn(0, 1, { highOpen: true }), default: defaultValue };
}

/**
 * A non-negative number, such as `epsilon`, `weightDecay` or `momentum`.
 *
 * @example
 * const fields = { epsilon: nonNegativeField(1e-8) };
 */
export function nonNegativeField(defaultValue: number): FieldSpec {
  return { rule: atLeast(0), default: defaultValue };
}

/**
 * A flag such as `amsgrad` or `maximize`.
 *
 * @example
 * const fields = { amsgrad: flagField() };
 */
export function flagField(defaultValue = false): FieldSpec {
  return { rule: isBoolean, default: defaultValue };
}
