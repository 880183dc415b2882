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

/**
 * The fields Adam, AdamW, Adamax, NAdam and RAdam share, with PyTorch's defaults: beta1 0.9,
 * beta2 0.999, epsilon 1e-8, weightDecay 0 (AdamW overrides the last).
 *
 * @example
 * const fields = { ...adamFamilyFields, momentumDecay: nonNegativeField(4e-3) }; // NAdam's, in part
 */
export const adamFamilyFields = {
  beta1: betaField(0.9),
  beta2: betaField(0.999),
  epsilon: nonNegativeField(1e-8),
  weightDecay: nonNegativeField(0),
} as const;
