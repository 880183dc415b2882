import type { FloatArray, FloatDType } from '@annet/layer-api';
import type { ResolvedGroup } from './config.js';
import type { Hyperparameters } from './types.js';
import type { UpdateRule } from './update-rule.js';

/** Everything an optimizer keeps for one parameter, found by the parameter's name. */
export interface ParameterState<H extends Hyperparameters = Hyperparameters> {
  /** The parameter's name. */
  readonly name: string;
  /** How many updates this parameter has had (bias corrections use it, not the global count). */
  step: number;
  /** The parameter's shape when the state was created. */
  readonly shape: readonly number[];
  /** Element type of the state arrays: the parameter's own. */
  readonly dtype: FloatDType;
  /** The state arrays, in the order of `group.slotNames`. */
  readonly slots: readonly FloatArray[];
  /** Extra float64 scalars, in the order of the rule's `scalarNames`. */
  readonly scalars: Float64Array;
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
  const slots = group.slotNames.map((slot) => {
    const array = allocateArray(dtype, size);
    const initial = rule.initialSlotValue?.(slot, group.hyperparameters) ?? 0;
    if (initial !== 0) array.fill(initial);
    return array;
  });
  return { name, step: 0, shape: [...shape], dtype, slots, scalars: Float64Array.from(rule.initialScalars), group, visit: 0 };
}
