import { AnnetError, formatValue } from '../annet-error.js';
import { parametersOf } from '../core/parameters-of.js';
import type { StepTarget } from '../core/types.js';

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling by it. Default false. */
  readonly errorIfNonfinite?: boolean;
}

/**
 * Scales the gradients of all trainable parameters together so that their joint norm is at most
 * `maxNorm` (PyTorch `clip_grad_norm_`), and returns the norm before clipping. With
 * `total = (Σ |g|^p)^(1/p)` over every gradient element (`max |g|` when `normType` is `Infinity`),
 * every gradient is multiplied by `maxNorm / (total + 1e-6)` when that is below 1.
 *
 * @example
 * model.backward(lossGradient);
 * const norm = clipGradNorm(model, 1.0);
 * optimizer.step(model);
 */
export function clipGradNorm(target: StepTarget, maxNorm: number, normType = 2, options: ClipGradNormOptions = {}): number {
  const operation = 'clipGradNorm';
  if (!(typeof maxNorm === 'number' && maxNorm >= 0 && Number.isFinite(maxNorm))) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `maxNorm must be a number >= 0, got ${formatValue(maxNorm)}`);
  }
  if (!(typeof normType === 'number' && normType > 0 && !Number.isNaN(normType))) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `normType must be a number > 0 (2 for the Euclidean norm, Infinity for the largest magnitude), got ${formatValue(normType)}`);
  }
  const parameters = parametersOf(target, operation);
  let accumulated = 0;
  for (const parameter of parameters) {
    if (parameter.trainable === false) continue;
    const gradient = parameter.grad;
    for (let i = 0; i < gradient.length; i++) {
      const magnitude = Math.abs(gradient[i]);
      if (normType === Number.POSITIVE_INFINITY) accumulated = magnitude > accumulated || Number.isNaN(magnitude) ? magnitude : accumulated;
      else accumulated += normType === 2 ? magnitude * magnitude : magnitude ** normType;
    }
  }
  const total = normType === Number.POSITIVE_INFINITY ? accumulated : normType === 2 ? Math.sqrt(accumulated) : accumulated ** (1 / normType);
  if (options.errorIfNonfinite === true && !Number.isFinite(total)) {
    throw new AnnetError('INVALID_STATE', operation, `the total gradient norm is ${total}; check the loss for NaN or infinity, or pass errorIfNonfinite: false`);
  }
  const coefficient = maxNorm / (total + 1e-6);
  if (coefficient < 1) {
    for (const parameter of parameters) {
      if (parameter.trainable === false) continue;
      const gradient = parameter.grad;
      for (let i = 0; i < gradient.length; i++) gradient[i] *= coefficient;
    }
  }
  return total;
}
