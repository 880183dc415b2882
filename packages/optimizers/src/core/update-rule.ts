import type { FloatArray } from '@annet/layer-api';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';
import type { FieldSpec } from '../validation/fields.js';
import type { Hyperparameters } from './types.js';

/**
 * What an update needs besides arrays and hyperparameters: the parameter's own update count and
 * the learning rate of this step. The optimizer reuses one object for every call (doubles passed
 * as plain arguments would be boxed on the heap whenever the call is not inlined).
 */
export interface StepContext {
  /** This parameter's update count, 1 for its first update (bias corrections use it). */
  readonly step: number;
  /** The learning rate of this step for this parameter's group. */
  readonly learningRate: number;
}

/**
 * What an update reads and writes for one parameter besides its value and gradient: the state
 * arrays and scalars, by name.
 */
export interface RuleState {
  /** The state arrays by slot name, as the rule's `slotNames` lists them (`firstMoment`, `secondMoment`, ...). */
  readonly slots: { readonly [slot: string]: FloatArray };
  /** Extra float64 scalars by name (NAdam's `muProduct`), updated in place. */
  readonly scalars: { [name: string]: number };
}

/**
 * An optimization algorithm as data plus one pure function: what an {@link Optimizer} needs to
 * validate its options, allocate per-parameter state and update a parameter. The classes (`Adam`,
 * `SGD`, ...) are thin shells around one of these.
 *
 * @example
 * const rule: UpdateRule<{ readonly maximize: boolean }> = {
 *   type: 'PlainGradientDescent', defaultLearningRate: 0.01,
 *   fields: { maximize: { rule: isBoolean, default: false } },
 *   slotNames: () => [], initialScalars: {},
 *   update(value, gradient, _state, context, h) {
 *     const rate = h.maximize ? context.learningRate : -context.learningRate;
 *     for (let i = 0; i < value.length; i++) value[i] += rate * gradient[i];
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
  /**
   * The hyperparameter a one-cycle schedule cycles (PyTorch's `momentum`, or `beta1` for its
   * `betas[0]`); absent when the algorithm has no momentum, which then follows only the rate.
   */
  readonly cycledMomentum?: keyof H & string;
  /** Names of the per-parameter state arrays these hyperparameters need; `update` finds them by these names in `state.slots`. */
  slotNames(hyperparameters: H): readonly string[];
  /** Value a fresh state array starts from; 0 when absent. */
  initialSlotValue?(slot: string, hyperparameters: H): number;
  /** Per-parameter float64 scalars besides the step count, by name with their starting values (NAdam: `{ muProduct: 1 }`). */
  readonly initialScalars: { readonly [name: string]: number };
  /**
   * Updates `value` in place from `gradient`, for the parameter's `context.step`-th update (1 for
   * the first) at `context.learningRate`, reading and writing its state arrays and scalars by
   * name. One fused loop; allocates nothing.
   */
  update(value: FloatArray, gradient: FloatArray, state: RuleState, context: StepContext, hyperparameters: H): void;
  /**
   * The same update with the WebAssembly SIMD kernels (float32 arithmetic, four elements at a
   * time), for a float32 parameter whose value, gradient and state arrays all live in the memory
   * `kernels` is bound to (a parameter with a `memory`). Optional: without it, or where the
   * kernels cannot run, `update` runs. Arguments as for `update`, plus `numbers`: 16 float32s in
   * the same memory for the step's numbers (the kernels read them there); addresses are `byteOffset`s.
   */
  simdUpdate?(
    kernels: OptimizerKernels,
    value: Float32Array,
    gradient: Float32Array,
    state: RuleState,
    context: StepContext,
    hyperparameters: H,
    numbers: Float32Array,
  ): void;
}
