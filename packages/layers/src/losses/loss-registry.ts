import { AnnetError } from '@annet/tensor';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { huber } from './huber.js';
import type { LossFunction } from './loss.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import { meanSquaredError } from './mean-squared-error.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/**
 * Every loss of this package by name, so a training config can name its loss.
 *
 * @example
 * const { loss, gradient } = losses.softmaxCrossEntropy(logits, labels);
 */
export const losses = {
  meanSquaredError,
  meanAbsoluteError,
  huber,
  binaryCrossEntropy,
  softmaxCrossEntropy,
} as const satisfies Record<string, LossFunction>;

/**
 * The name of a built-in loss.
 *
 * @example
 * const name: LossName = 'softmaxCrossEntropy';
 */
export type LossName = keyof typeof losses;

/**
 * The loss called `name`, or an error listing the known names.
 *
 * @example
 * const loss = lossFromName('meanSquaredError');
 */
export function lossFromName(name: string): LossFunction {
  if (typeof name === 'string' && Object.hasOwn(losses, name)) return losses[name as LossName];
  throw new AnnetError(
    'NOT_FOUND',
    'lossFromName',
    `unknown loss ${JSON.stringify(name)}; expected one of ${Object.keys(losses).join(', ')}`,
  );
}
