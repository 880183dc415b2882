import { AnnetError } from '@annet/tensor';
import type { Initializer } from './initializer.js';

/*
 * Variance-scaling initializers draw from plain (untruncated) distributions, like PyTorch's
 * `nn.init`; Keras truncates its normal variants at two standard deviations.
 */

function requirePositiveFans(operation: string, fanIn: number, fanOut: number): void {
  if (!(fanIn > 0) || !(fanOut > 0)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `fans must be positive, got fanIn ${fanIn} and fanOut ${fanOut}`,
    );
  }
}

/**
 * A uniform initializer on `[low, high)`; defaults `[-0.05, 0.05)` as in Keras.
 *
 * @example
 * uniformInitializer(-0.1, 0.1)(new Float32Array(4), { fanIn: 2, fanOut: 2 }, createRng(0));
 */
export function uniformInitializer(low = -0.05, high = 0.05): Initializer {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'uniform initializer',
      `expected finite low < high, got [${low}, ${high})`,
    );
  }
  return (values, _fans, rng) => {
    for (let index = 0; index < values.length; index++) values[index] = rng.uniform(low, high);
  };
}

/**
 * A normal initializer N(mean, standardDeviation²); defaults N(0, 0.05²) as in Keras.
 *
 * @example
 * normalInitializer(0, 0.02)(new Float32Array(4), { fanIn: 2, fanOut: 2 }, createRng(0));
 */
export function normalInitializer(mean = 0, standardDeviation = 0.05): Initializer {
  if (!Number.isFinite(mean) || !Number.isFinite(standardDeviation) || !(standardDeviation >= 0)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'normal initializer',
      `expected a finite mean and standardDeviation >= 0, got ${mean} and ${standardDeviation}`,
    );
  }
  return (values, _fans, rng) => {
    for (let index = 0; index < values.length; index++) values[index] = rng.normal(mean, standardDeviation);
  };
}

/**
 * Fills with one value; draws nothing from the rng.
 *
 * @example
 * constantInitializer(0.1)(new Float32Array(3), { fanIn: 1, fanOut: 3 }, createRng(0)); // 0.1, 0.1, 0.1
 */
export function constantInitializer(value: number): Initializer {
  if (!Number.isFinite(value)) {
    throw new AnnetError('INVALID_ARGUMENT', 'constant initializer', `expected a finite value, got ${value}`);
  }
  return (values) => {
    values.fill(value);
  };
}

/** Zeros; draws nothing. @example initializers.zeros(values, fans, rng); */
const zeros: Initializer = (values) => {
  values.fill(0);
};

/** Ones; draws nothing. @example initializers.ones(values, fans, rng); */
const ones: Initializer = (values) => {
  values.fill(1);
};

/** Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)). @example initializers.glorotUniform(values, fans, rng); */
const glorotUniform: Initializer = (values, { fanIn, fanOut }, rng) => {
  requirePositiveFans('glorotUniform', fanIn, fanOut);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  for (let index = 0; index < values.length; index++) values[index] = rng.uniform(-limit, limit);
};

/** Glorot (Xavier) normal: N(0, σ²) with σ = √(2 / (fanIn + fanOut)). @example initializers.glorotNormal(values, fans, rng); */
const glorotNormal: Initializer = (values, { fanIn, fanOut }, rng) => {
  requirePositiveFans('glorotNormal', fanIn, fanOut);
  const standardDeviation = Math.sqrt(2 / (fanIn + fanOut));
  for (let index = 0; index < values.length; index++) values[index] = rng.normal(0, standardDeviation);
};

/** He (Kaiming) uniform: U(−l, l) with l = √(6 / fanIn); suits ReLU stacks. @example initializers.heUniform(values, fans, rng); */
const heUniform: Initializer = (values, { fanIn, fanOut }, rng) => {
  requirePositiveFans('heUniform', fanIn, fanOut);
  const limit = Math.sqrt(6 / fanIn);
  for (let index = 0; index < values.length; index++) values[index] = rng.uniform(-limit, limit);
};

/** He (Kaiming) normal: N(0, σ²) with σ = √(2 / fanIn); suits ReLU stacks. @example initializers.heNormal(values, fans, rng); */
const heNormal: Initializer = (values, { fanIn, fanOut }, rng) => {
  requirePositiveFans('heNormal', fanIn, fanOut);
  const standardDeviation = Math.sqrt(2 / fanIn);
  for (let index = 0; index < values.length; index++) values[index] = rng.normal(0, standardDeviation);
};

/** LeCun normal: N(0, σ²) with σ = √(1 / fanIn); suits SELU. @example initializers.lecunNormal(values, fans, rng); */
const lecunNormal: Initializer = (values, { fanIn, fanOut }, rng) => {
  requirePositiveFans('lecunNormal', fanIn, fanOut);
  const standardDeviation = Math.sqrt(1 / fanIn);
  for (let index = 0; index < values.length; index++) values[index] = rng.normal(0, standardDeviation);
};

/**
 * The built-in initializers by name. Each fills an array in place from a seeded rng:
 * `zeros`, `ones`, `uniform` (U(−0.05, 0.05)), `normal` (N(0, 0.05²)), `glorotUniform`,
 * `glorotNormal`, `heUniform`, `heNormal`, `lecunNormal`. For arguments use
 * {@link constantInitializer}, {@link uniformInitializer} or {@link normalInitializer}.
 *
 * @example
 * const weights = new Float32Array(784 * 128);
 * initializers.heNormal(weights, { fanIn: 784, fanOut: 128 }, createRng(42));
 */
export const initializers = {
  zeros,
  ones,
  uniform: uniformInitializer(),
  normal: normalInitializer(),
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  lecunNormal,
} as const satisfies Record<string, Initializer>;
