import { AnnetError, formatValue } from '../annet-error.js';
import { parametersOf } from '../core/step.js';
import type { StepTarget } from '../core/types.js';

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
  let accumulated = 0;
  for (const parameter of parameters) {
    if (parameter.trainable === false) continue;
    const gradient = parameter.grad;
    for (let i = 0; i < gradient.length; i++) {
      const magnitude = Math.abs(gradient[i]);
      if (normType === Number.POSITIVE_INFINITY)
        accumulated = magnitude > accumulated || Number.isNaN(magnitude) ? magnitude : accumulated;
      else accumulated += normType === 2 ? magnitude * magnitude : magnitude ** normType;
    }
  }
  const total =
    normType === Number.POSITIVE_INFINITY
      ? accumulated
      : normType === 2
        ? Math.sqrt(accumulated)
        : accumulated ** (1 / normType);
  if (options.errorIfNonfinite === true && !Number.isFinite(total)) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the total gradient norm is ${total}; check the loss for NaN or infinity, or pass errorIfNonfinite: false`,
    );
  }
  const coefficient = maxNorm / (total + 1e-6);
  // Not `coefficient < 1`: a NaN coefficient (NaN norm) must scale too, as PyTorch's clamp keeps NaN.
  if (!(coefficient >= 1)) {
    for (const parameter of parameters) {
      if (parameter.trainable === false) continue;
      const gradient = parameter.grad;
      for (let i = 0; i < gradient.length; i++) gradient[i] *= coefficient;
    }
  }
  return total;
}
