import type { Parameter } from '@annet/layer-api';
import { AnnetError, formatValue } from '../annet-error.js';
import { parametersOf } from '../core/step.js';
import type { StepTarget } from '../core/types.js';
import { gradientNormKernelsFor, type GradientNormKernels } from '../kernels/gradient-norm-kernels.js';
import { largestMagnitude, sumOfPowers, sumOfSquaresInBlocks } from './norm-reductions.js';

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /**
   * Throw (`INVALID_STATE`, nothing changed) when the total norm is NaN or infinite. Default false,
   * as PyTorch's `error_if_nonfinite` (1.13 and 2.x): the gradients are then scaled by the
   * non-finite norm exactly as PyTorch does, so a NaN anywhere makes every gradient NaN, and an
   * infinite norm zeroes the finite gradients and turns the infinite ones into NaN.
   */
  readonly errorIfNonfinite?: boolean;
}

/**
 * Scales the gradients of all trainable parameters together so that their joint norm is at most
 * `maxNorm` (PyTorch `clip_grad_norm_`), and returns the norm before clipping. With
 * `total = (Σ |g|^p)^(1/p)` over every gradient element (`max |g|` when `normType` is `Infinity`),
 * every gradient is multiplied by `maxNorm / (total + 1e-6)` when that is below 1.
 *
 * A non-finite norm follows PyTorch (with the default `errorIfNonfinite: false`): a NaN norm makes
 * the coefficient NaN and every gradient NaN; an infinite norm makes it 0, so finite gradients
 * become ±0 and infinite ones NaN. The next optimizer step then writes NaN into the parameters it
 * touches; pass `errorIfNonfinite: true` to stop before that instead.
 *
 * The Euclidean norm (`normType` 2) sums the squares in float64 in one fixed order, blocks of
 * 4,096 elements with eight lanes each (see `sumOfSquaresInBlocks`), the parameters in the order
 * the target lists them, so the norm is the same bit for bit whichever path computes it: the
 * TypeScript loop, or, for a float32 parameter whose arrays live in a WebAssembly memory
 * (`parameter.memory`), the WebAssembly SIMD kernels (on the calling thread: splitting them across
 * kernel threads did not pay, see `gradientNormKernelsFor`).
 * The scaling `g ← g · coefficient` rounds the float64 product to the gradient's type on every path.
 * Other p-norms run a TypeScript loop in element order.
 *
 * @example
 * model.backward(lossGradient);
 * const norm = clipGradNorm(model, 1.0);
 * optimizer.step(model);
 */
export function clipGradNorm(
  target: StepTarget,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  const operation = 'clipGradNorm';
  if (!(typeof maxNorm === 'number' && maxNorm >= 0 && Number.isFinite(maxNorm))) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `maxNorm must be a number >= 0, got ${formatValue(maxNorm)}`);
  }
  if (!(typeof normType === 'number' && normType > 0 && !Number.isNaN(normType))) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `normType must be a number > 0 (2 for the Euclidean norm, Infinity for the largest magnitude), got ${formatValue(normType)}`,
    );
  }
  const parameters = parametersOf(target, operation);
  const total = totalNorm(parameters, normType);
  if (options.errorIfNonfinite === true && !Number.isFinite(total)) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the total gradient norm is ${total}; check the loss for NaN or infinity, or pass errorIfNonfinite: false`,
    );
  }
  const coefficient = maxNorm / (total + 1e-6);
  // Not `coefficient < 1`: a NaN coefficient (NaN norm) must scale too, as PyTorch's clamp keeps NaN.
  if (!(coefficient >= 1)) scaleGradients(parameters, coefficient);
  return total;
}

/** The SIMD kernels for a float32 parameter whose arrays live in a WebAssembly memory; `null` for the TypeScript loops. */
function kernelsOf(parameter: Parameter): GradientNormKernels | null {
  const memory = parameter.memory;
  return memory !== undefined && parameter.grad instanceof Float32Array ? gradientNormKernelsFor(memory) : null;
}

/** `(Σ |g|^p)^(1/p)` over every trainable gradient (`max |g|` for p = ∞). */
function totalNorm(parameters: readonly Parameter[], normType: number): number {
  let accumulated = 0;
  for (let index = 0; index < parameters.length; index++) {
    const parameter = parameters[index];
    if (parameter.trainable === false) continue;
    const gradient = parameter.grad;
    if (normType === 2) {
      const kernels = kernelsOf(parameter);
      accumulated =
        kernels === null
          ? sumOfSquaresInBlocks(gradient, accumulated)
          : kernels.sumOfSquares(gradient.byteOffset, gradient.length, accumulated);
    } else if (normType === Number.POSITIVE_INFINITY) {
      const kernels = kernelsOf(parameter);
      accumulated =
        kernels === null
          ? largestMagnitude(gradient, accumulated)
          : kernels.maxMagnitude(gradient.byteOffset, gradient.length, accumulated);
    } else accumulated = sumOfPowers(gradient, normType, accumulated);
  }
  if (normType === 2) return Math.sqrt(accumulated);
  return normType === Number.POSITIVE_INFINITY ? accumulated : accumulated ** (1 / normType);
}

/** `g ← g · coefficient` for every trainable gradient, rounded to the gradient's type. */
function scaleGradients(parameters: readonly Parameter[], coefficient: number): void {
  for (let index = 0; index < parameters.length; index++) {
    const parameter = parameters[index];
    if (parameter.trainable === false) continue;
    const gradient = parameter.grad;
    const kernels = kernelsOf(parameter);
    if (kernels !== null) kernels.scale(gradient.byteOffset, gradient.length, coefficient);
    else for (let i = 0; i < gradient.length; i++) gradient[i] *= coefficient;
  }
}
