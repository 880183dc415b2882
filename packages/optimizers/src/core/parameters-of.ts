import type { Parameter } from '@annet/layer-api';
import { AnnetError, formatValue } from '../annet-error.js';
import type { StepTarget } from './types.js';

/**
 * The parameters of a step target: the array itself, or `target.parameters()` for a layer or
 * model. Anything else is an `INVALID_ARGUMENT` error for `operation`.
 *
 * @example
 * parametersOf(dense, 'Adam.step'); // dense.parameters()
 */
export function parametersOf(target: StepTarget, operation: string): readonly Parameter[] {
  if (Array.isArray(target)) return target as readonly Parameter[];
  if (typeof target === 'object' && target !== null && typeof (target as { parameters?: unknown }).parameters === 'function') {
    return (target as { parameters(): readonly Parameter[] }).parameters();
  }
  throw new AnnetError('INVALID_ARGUMENT', operation, `expected a layer or model (an object with parameters()) or an array of parameters, got ${formatValue(target)}`);
}
