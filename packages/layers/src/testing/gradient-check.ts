/**
 * The shared finite-difference gradient checker. Every layer and every loss is checked with it,
 * in float64, against the input and every parameter.
 *
 * The scalar being differentiated is L = Σᵢ outputᵢ · projectionᵢ, with a fixed random
 * projection, so its gradient with respect to the output is the projection itself: backward is
 * fed the projection, and each numeric derivative is the central difference
 * (L(θ + ε) − L(θ − ε)) / 2ε, whose truncation error is O(ε²).
 *
 * The error of one array is max |analytic − numeric| / max(‖analytic‖∞, ‖numeric‖∞), that is,
 * relative to the array's largest gradient (an elementwise ratio is meaningless where a gradient
 * is exactly zero, as behind a ReLU).
 */
import type { FloatArray, Layer, Parameter } from '@annet/layer-api';
import { createRng, Tensor } from '@annet/tensor';
import { expect } from 'vitest';

/** The outcome for one array (the input or one parameter). */
export interface GradientError {
  /** `input` or the parameter's name. */
  readonly name: string;
  /** max |analytic − numeric| / max(‖analytic‖∞, ‖numeric‖∞). */
  readonly relativeError: number;
  /** ‖analytic‖∞, to spot a vacuous check where every gradient is zero. */
  readonly largestGradient: number;
}

/** Options of the checkers. */
export interface GradientCheckOptions {
  /** Step of the central difference; default 1e-5 (truncation error ~ε², rounding ~1e-16/ε). */
  readonly epsilon?: number;
  /** Forward in training mode (default true). */
  readonly training?: boolean;
  /** Seed of the output projection; default 0. */
  readonly seed?: number;
  /** Skip the input (for layers whose input is not differentiable, such as Embedding). */
  readonly skipInput?: boolean;
}

type CheckedLayer = Layer<Tensor>;

/** Checks `layer`'s backward against central differences at `input` (a float64 tensor). */
export function checkLayerGradients(layer: CheckedLayer, input: Tensor, options: GradientCheckOptions = {}): GradientError[] {
  const epsilon = options.epsilon ?? 1e-5;
  const training = options.training ?? true;
  const x = input.clone();
  // Layers with randomness (Dropout) must see the same draws in every forward pass.
  const state = layer.getState?.();
  const forwardLoss = (projection: Float64Array): number => {
    if (state !== undefined) layer.setState?.(state);
    const output = layer.forward(x, { training }).contiguous();
    let loss = 0;
    for (let index = 0; index < output.size; index++) loss += output.data[output.offset + index] * projection[index];
    return loss;
  };
  if (state !== undefined) layer.setState?.(state);
  const firstOutput = layer.forward(x, { training });
  // Offset so the projection is not the stream `randomInput(shape, seed)` drew the input from
  // (a projection equal to the input lies in BatchNorm's null space).
  const rng = createRng(0x5eed0000 + (options.seed ?? 0));
  const projection = new Float64Array(firstOutput.size);
  for (let index = 0; index < projection.length; index++) projection[index] = rng.normal();
  const inputGradient = layer.backward(new Tensor(projection, firstOutput.shape)).contiguous(true);
  const analytic = layer.parameters().map((parameter) => Float64Array.from(parameter.grad));
  const results: GradientError[] = [];
  if (!options.skipInput) {
    const numeric = numericGradient(x.data as FloatArray, () => forwardLoss(projection), epsilon);
    results.push(compare('input', Float64Array.from(inputGradient.data), numeric));
  }
  layer.parameters().forEach((parameter: Parameter, index) => {
    const numeric = numericGradient(parameter.value, () => forwardLoss(projection), epsilon);
    results.push(compare(parameter.name, analytic[index], numeric));
  });
  return results;
}

/** Checks a loss's gradient with respect to `predictions` against central differences. */
export function checkLossGradient(
  loss: (predictions: Tensor, targets: Tensor) => { loss: number; gradient: Tensor },
  predictions: Tensor,
  targets: Tensor,
  options: GradientCheckOptions = {},
): GradientError {
  const epsilon = options.epsilon ?? 1e-5;
  const x = predictions.clone();
  const analytic = Float64Array.from(loss(x, targets).gradient.contiguous(true).data);
  const numeric = numericGradient(x.data as FloatArray, () => loss(x, targets).loss, epsilon);
  return compare('predictions', analytic, numeric);
}

/** Central differences of `evaluate` with respect to every element of `values` (restored after). */
export function numericGradient(values: FloatArray, evaluate: () => number, epsilon: number): Float64Array {
  const gradient = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const original = values[index];
    values[index] = original + epsilon;
    const plus = evaluate();
    values[index] = original - epsilon;
    const minus = evaluate();
    values[index] = original;
    gradient[index] = (plus - minus) / (2 * epsilon);
  }
  return gradient;
}

function compare(name: string, analytic: Float64Array, numeric: Float64Array): GradientError {
  let largestDifference = 0;
  let largestAnalytic = 0;
  let largestNumeric = 0;
  for (let index = 0; index < analytic.length; index++) {
    largestDifference = Math.max(largestDifference, Math.abs(analytic[index] - numeric[index]));
    largestAnalytic = Math.max(largestAnalytic, Math.abs(analytic[index]));
    largestNumeric = Math.max(largestNumeric, Math.abs(numeric[index]));
  }
  const scale = Math.max(largestAnalytic, largestNumeric);
  return { name, relativeError: scale === 0 ? largestDifference : largestDifference / scale, largestGradient: largestAnalytic };
}

/** Asserts every checked array has a relative error below `tolerance` (default 1e-6) and a non-zero gradient. */
export function expectGradientsToMatch(errors: readonly GradientError[], tolerance = 1e-6): void {
  for (const error of errors) {
    expect(error.relativeError, `${error.name}: relative error`).toBeLessThan(tolerance);
    expect(error.largestGradient, `${error.name}: the check is vacuous when every gradient is zero`).toBeGreaterThan(0);
  }
}

/** A float64 tensor of normal samples, seeded. */
export function randomInput(shape: readonly number[], seed: number, scale = 1): Tensor<'float64'> {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const data = new Float64Array(size);
  for (let index = 0; index < size; index++) data[index] = rng.normal(0, scale);
  return new Tensor(data, shape);
}

/**
 * Moves every element within `margin` of a kink (where the derivative jumps, such as 0 for ReLU)
 * to `margin` away from it, in place, so a central difference never straddles the kink.
 */
export function awayFromKinks(values: Float64Array, kinks: readonly number[] = [0], margin = 1e-3): void {
  for (let index = 0; index < values.length; index++) {
    for (const kink of kinks) {
      const distance = values[index] - kink;
      if (Math.abs(distance) < margin) values[index] = kink + (distance < 0 ? -margin : margin);
    }
  }
}

/** A float64 tensor whose elements are a seeded permutation of well-separated values (no near-ties, for max pooling). */
export function separatedInput(shape: readonly number[], seed: number): Tensor<'float64'> {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const order = createRng(seed).permutation(size);
  return new Tensor(Float64Array.from(order, (rank) => (rank - size / 2) * 0.1), shape);
}
