/**
 * The shared finite-difference gradient checker. Every layer and every loss is checked with it,
 * in float64, against the input and every parameter.
 *
 * The scalar being differentiated is L = Σᵢ outputᵢ · projectionᵢ, with a fixed random
 * projection, so its gradient with respect to the output is the projection itself: backward is
 * fed the projection, and each numeric derivative is the central difference
 * n = (L(θ + ε) − L(θ − ε)) / 2ε.
 *
 * How far n may be from the true derivative L′, so how far from it a right backward may be:
 * - truncation: by Taylor, n − L′ = ε²·L‴(ξ)/6, so about ε² (1e-10 at ε = 1e-5) times the scale of
 *   L's third derivative, which for the layers here is the scale of L itself;
 * - rounding: each evaluation of L is off by a few units of roundoff u = 2⁻⁵³ ≈ 1.1e-16 of the
 *   magnitude of what it adds up, S = Σᵢ |outputᵢ · projectionᵢ|; the difference of two such
 *   values, divided by 2ε, is off by about k·u·S/ε ≈ 1e-11·k·S at ε = 1e-5, where k counts the
 *   roundings along the forward pass (k = 16 covers the chains of the layers here).
 * So the numeric gradient carries an absolute error of about
 *     floor = 16·u·S/ε + ε²·max(S, 1)                         (≈ 1.2e-10 for S ≈ 1)
 * that does not shrink with the gradient. A purely relative test fails where a layer saturates:
 * a softmax whose input gradient is 4e-6 leaves the numeric one 8e-12 away, a "relative error"
 * of 2e-6 (issue 13). The test is therefore, over all elements of one array,
 *     max |analytic − numeric| ≤ tolerance · max(‖analytic‖∞, ‖numeric‖∞) + floor,
 * a relative term (default 1e-6) for gradients far above the noise, the absolute floor for those
 * near it. A backward that is wrong by more than the noise (a sign, a factor, a missing term)
 * still fails: its error is of the order of the gradient itself.
 *
 * The reported `relativeError` is max |analytic − numeric| / max(‖analytic‖∞, ‖numeric‖∞), that
 * is, relative to the array's largest gradient (an elementwise ratio is meaningless where a
 * gradient is exactly zero, as behind a ReLU).
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
  /** max |analytic − numeric| (absent from hand-made results: then only the relative test applies). */
  readonly largestDifference?: number;
  /** max(‖analytic‖∞, ‖numeric‖∞), what the relative term scales. */
  readonly scale?: number;
  /** The absolute error a right backward may show, from the central difference's rounding and truncation (see the top of this file). */
  readonly absoluteFloor?: number;
}

/** Units of roundoff allowed per evaluation of the loss (the roundings along a forward pass). */
const ROUNDINGS_PER_EVALUATION = 16;
const UNIT_ROUNDOFF = 2 ** -53;

/**
 * The absolute error of a central difference with step `epsilon` of a loss that adds up terms of
 * total magnitude `magnitude` (S above): 16·u·S/ε + ε²·max(S, 1).
 */
export function centralDifferenceFloor(magnitude: number, epsilon: number): number {
  return (ROUNDINGS_PER_EVALUATION * UNIT_ROUNDOFF * magnitude) / epsilon + epsilon * epsilon * Math.max(magnitude, 1);
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
export function checkLayerGradients(
  layer: CheckedLayer,
  input: Tensor,
  options: GradientCheckOptions = {},
): GradientError[] {
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
  const firstOutput = layer.forward(x, { training }).contiguous();
  // Offset so the projection is not the stream `randomInput(shape, seed)` drew the input from
  // (a projection equal to the input lies in BatchNorm's null space).
  const rng = createRng(0x5eed0000 + (options.seed ?? 0));
  const projection = new Float64Array(firstOutput.size);
  for (let index = 0; index < projection.length; index++) projection[index] = rng.normal();
  let magnitude = 0;
  for (let index = 0; index < projection.length; index++)
    magnitude += Math.abs(firstOutput.data[firstOutput.offset + index] * projection[index]);
  const floor = centralDifferenceFloor(magnitude, epsilon);
  const inputGradient = layer.backward(new Tensor(projection, firstOutput.shape)).contiguous(true);
  const analytic = layer.parameters().map((parameter) => Float64Array.from(parameter.grad));
  const results: GradientError[] = [];
  if (!options.skipInput) {
    const numeric = numericGradient(x.data as FloatArray, () => forwardLoss(projection), epsilon);
    results.push(compare('input', Float64Array.from(inputGradient.data), numeric, floor));
  }
  layer.parameters().forEach((parameter: Parameter, index) => {
    const numeric = numericGradient(parameter.value, () => forwardLoss(projection), epsilon);
    results.push(compare(parameter.name, analytic[index], numeric, floor));
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
  const first = loss(x, targets);
  const analytic = Float64Array.from(first.gradient.contiguous(true).data);
  const numeric = numericGradient(x.data as FloatArray, () => loss(x, targets).loss, epsilon);
  // A loss adds up non-negative terms (a 'none' reduction is summed by the caller's wrapper), so |loss| is their magnitude S.
  return compare('predictions', analytic, numeric, centralDifferenceFloor(Math.abs(first.loss), epsilon));
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

function compare(name: string, analytic: Float64Array, numeric: Float64Array, absoluteFloor: number): GradientError {
  let largestDifference = 0;
  let largestAnalytic = 0;
  let largestNumeric = 0;
  for (let index = 0; index < analytic.length; index++) {
    largestDifference = Math.max(largestDifference, Math.abs(analytic[index] - numeric[index]));
    largestAnalytic = Math.max(largestAnalytic, Math.abs(analytic[index]));
    largestNumeric = Math.max(largestNumeric, Math.abs(numeric[index]));
  }
  const scale = Math.max(largestAnalytic, largestNumeric);
  const relativeError = scale === 0 ? largestDifference : largestDifference / scale;
  return { name, relativeError, largestGradient: largestAnalytic, largestDifference, scale, absoluteFloor };
}

/**
 * Whether one array's backward agrees with central differences:
 * max |analytic − numeric| ≤ tolerance · max(‖analytic‖∞, ‖numeric‖∞) + floor (see the top of this file).
 */
export function gradientsMatch(error: GradientError, tolerance = 1e-6): boolean {
  const { largestDifference, scale, absoluteFloor } = error;
  if (largestDifference === undefined || scale === undefined || absoluteFloor === undefined)
    return error.relativeError < tolerance;
  return largestDifference <= tolerance * scale + absoluteFloor;
}

/**
 * Asserts every checked array agrees with central differences within `tolerance` (relative,
 * default 1e-6) plus the absolute floor of the central difference, and has a non-zero gradient.
 */
export function expectGradientsToMatch(errors: readonly GradientError[], tolerance = 1e-6): void {
  for (const error of errors) {
    const detail =
      error.largestDifference === undefined
        ? `relative error ${error.relativeError}`
        : `max |analytic − numeric| = ${error.largestDifference} (relative ${error.relativeError}), allowed ${tolerance} relative + ${error.absoluteFloor} absolute`;
    expect(gradientsMatch(error, tolerance), `${error.name}: ${detail}`).toBe(true);
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
  return new Tensor(
    Float64Array.from(order, (rank) => (rank - size / 2) * 0.1),
    shape,
  );
}
