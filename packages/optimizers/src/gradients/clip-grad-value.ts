import { AnnetError, formatValue } from '../annet-error.js';
import { parametersOf } from '../core/step.js';
import type { StepTarget } from '../core/types.js';

/**
 * Clamps every gradient element of the trainable parameters to `[-clipValue, clipValue]` in place
 * (PyTorch `clip_grad_value_`).
 *
 * @example
 * clipGradValue(model, 0.5);
 * optimizer.step(model);
 */
export function clipGradValue(target: StepTarget, clipValue: number): void {
  if (!(typeof clipValue === 'number' && clipValue >= 0 && Number.isFinite(clipValue))) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'clipGradValue',
      `clipValue must be a number >= 0, got ${formatValue(clipValue)}`,
    );
  }
  for (const parameter of parametersOf(target, 'clipGradValue')) {
    if (parameter.trainable === false) continue;
    const gradient = parameter.grad;
    for (let i = 0; i < gradient.length; i++) {
      const g = gradient[i];
      if (g > clipValue) gradient[i] = clipValue;
      else if (g < -clipValue) gradient[i] = -clipValue;
    }
  }
}
