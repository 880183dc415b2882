import { AnnetError } from '@annet/tensor';
import type { FloatData } from '../buffers.js';

/**
 * The activations a {@link Dense} layer can apply to its output, as Keras's `activation`:
 * `'linear'` (none, the default), `'relu'` (fused into the matmul), `'sigmoid'` and `'tanh'`
 * (applied in place right after it). Each gives bit for bit what the Dense followed by the
 * matching activation layer (ReLU, Sigmoid, Tanh) gives in float64.
 *
 * @example
 * const activation: DenseActivation = 'relu';
 * new Dense(784, 128, { activation });
 */
export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

const denseActivations: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/**
 * Returns `activation` (default `'linear'`) when Dense (or Conv2D, which takes the same names)
 * supports it; otherwise throws an INVALID_ARGUMENT AnnetError naming the layer, the value, the
 * supported names and, as the fix, an activation layer to add after `layerClass`.
 *
 * @example
 * checkDenseActivation('Dense "dense"', undefined); // 'linear'
 * checkDenseActivation('Dense "dense"', 'softmax'); // throws: add a Softmax layer instead
 * checkDenseActivation('Conv2D "conv2d"', 'elu', 'Conv2D', 'new ELU()');
 */
export function checkDenseActivation(
  operation: string,
  activation: unknown,
  layerClass = 'Dense',
  exampleLayer = 'new Softmax()',
): DenseActivation {
  if (activation === undefined) return 'linear';
  if (typeof activation === 'string' && denseActivations.includes(activation)) return activation as DenseActivation;
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `activation must be one of 'linear', 'relu', 'sigmoid', 'tanh', got ${JSON.stringify(activation)}; for other activations add their layer after the ${layerClass} (for example ${exampleLayer})`,
  );
}

/**
 * Applies a sigmoid or tanh in place to `size` elements from index 0 (the Dense output buffer,
 * which already holds x·W + b). Same formulas as the Sigmoid and Tanh layers: σ(z) = 1/(1 + e^(−z)),
 * evaluated as e^z/(1 + e^z) for z < 0 so large negative inputs do not overflow.
 *
 * @example
 * activateInPlace('tanh', output.data as Float32Array, output.size);
 */
export function activateInPlace(activation: 'sigmoid' | 'tanh', values: FloatData, size: number): void {
  if (activation === 'tanh') {
    for (let index = 0; index < size; index++) values[index] = Math.tanh(values[index]);
    return;
  }
  for (let index = 0; index < size; index++) {
    const z = values[index];
    if (z >= 0) {
      values[index] = 1 / (1 + Math.exp(-z));
    } else {
      const exponential = Math.exp(z);
      values[index] = exponential / (1 + exponential);
    }
  }
}

/**
 * The gradient with respect to the pre-activation z = x·W + b, from the output y = f(z) and dY:
 * dZ = dY ⊙ f′, with f′ = [y > 0] for ReLU (y > 0 exactly where z > 0), y(1 − y) for the sigmoid
 * and 1 − y² for tanh. Writes `size` elements of `result` from index 0. The expressions are the
 * activation layers' own, so the gradients match Dense → ReLU/Sigmoid/Tanh bit for bit.
 *
 * @example
 * differentiateActivation('relu', output.data, dy.data, dy.offset, dz.data, output.size);
 */
export function differentiateActivation(
  activation: 'relu' | 'sigmoid' | 'tanh',
  output: FloatData,
  outputGradient: FloatData,
  gradientOffset: number,
  result: FloatData,
  size: number,
): void {
  if (activation === 'relu') {
    // dy·[y > 0] + 0, branch-free: the + 0 turns the −0 of a negative dy times 0 into +0.
    for (let index = 0; index < size; index++)
      result[index] = outputGradient[gradientOffset + index] * +(output[index] > 0) + 0;
  } else if (activation === 'sigmoid') {
    for (let index = 0; index < size; index++) {
      const y = output[index];
      result[index] = y * (1 - y) * outputGradient[gradientOffset + index];
    }
  } else {
    for (let index = 0; index < size; index++) {
      const y = output[index];
      result[index] = (1 - y * y) * outputGradient[gradientOffset + index];
    }
  }
}
