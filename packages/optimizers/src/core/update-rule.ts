import type { FloatArray } from '@annet/layer-api';
import type { FieldSpec } from '../validation/fields.js';
import type { Hyperparameters } from './types.js';

/**
 * An optimization algorithm as data plus one pure function: what an {@link Optimizer} needs to
 * validate its options, allocate per-parameter state and update a parameter. The classes (`Adam`,
 * `SGD`, ...) are thin shells around one of these.
 *
 * @example
 * const rule: UpdateRule<{ readonly maximize: boolean }> = {
 *   type: 'PlainGradientDescent', defaultLearningRate: 0.01,
 *   fields: { maximize: { rule: isBoolean, default: false } },
 *   slotNames: () => [], scalarNames: [], initialScalars: [],
 *   update(value, gradient, _slots, _scalars, _step, learningRate, h) {
 *     const sign = h.maximize ? -1 : 1;
 *     for (let i = 0; i < value.length; i++) value[i] -= learningRate * sign * gradient[i];
 *   },
 * };
 */
export interface UpdateRule<H extends Hyperparameters> {
  /** Registry key and error prefix, such as `Adam`. */
  readonly type: string;
  /** PyTorch's default learning rate for this algorithm. */
  readonly defaultLearningRate: number;
  /** Every hyperparameter with its check and PyTorch's default. */
  readonly fields: { readonly [K in keyof H & string]: FieldSpec };
  /** Checks that span several hyperparameters (such as Nesterov needing momentum); throws through `invalid`. */
  checkCombination?(hyperparameters: H, operation: string, prefix: string): void;
  /** Names of the per-parameter state arrays these hyperparameters need, in the order `update` receives them. */
  slotNames(hyperparameters: H): readonly string[];
  /** Value a fresh state array starts from; 0 when absent. */
  initialSlotValue?(slot: string, hyperparameters: H): number;
  /** Names of per-parameter float64 scalars besides the step count (such as NAdam's `muProduct`). */
  readonly scalarNames: readonly string[];
  /** Starting values of those scalars. */
  readonly initialScalars: readonly number[];
  /**
   * Updates `value` in place from `gradient`, for the parameter's `step`-th update (1 for the first),
   * reading and writing its state arrays and scalars. One fused loop; allocates nothing.
   */
  update(value: FloatArray, gradient: FloatArray, slots: readonly FloatArray[], scalars: Float64Array, step: number, learningRate: number, hyperparameters: H): void;
}
