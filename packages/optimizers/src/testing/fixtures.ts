import type { FloatArray, Parameter, Trainable } from '@annet/layer-api';

/** A deterministic generator for test data (mulberry32); library code never uses Math.random. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A parameter with the given values and a zero gradient of the same type. */
export function makeParameter(
  name: string,
  shape: readonly number[],
  values: ArrayLike<number>,
  dtype: 'float32' | 'float64' = 'float64',
): Parameter {
  const Type = dtype === 'float32' ? Float32Array : Float64Array;
  const value: FloatArray = Type.from(values);
  return { name, shape: [...shape], value, grad: new Type(value.length) };
}

/** A layer-like owner of parameters. */
export function makeTrainable(name: string, parameters: readonly Parameter[]): Trainable {
  return { name, parameters: () => parameters };
}

/**
 * `steps` gradients of `size` elements with varied signs and magnitudes (from 0.01 to 3, an exact
 * zero now and then), reproducible from `seed`.
 */
export function variedGradients(steps: number, size: number, seed: number): number[][] {
  const random = seededRandom(seed);
  const scales = [0.01, 0.1, 1, 3];
  return Array.from({ length: steps }, (_, step) =>
    Array.from({ length: size }, (_, index) => {
      if ((step * size + index) % 17 === 5) return 0;
      return (random() * 2 - 1) * scales[(index + step) % scales.length];
    }),
  );
}

/** Starting values for a [3, 4] parameter: varied signs and magnitudes. */
export function initialValues(size: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: size }, () => random() * 4 - 2);
}

/** Bitwise equality of two typed arrays (distinguishes -0 from 0 and compares NaNs by bits). */
export function bitsEqual(a: FloatArray, b: FloatArray): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const left = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const right = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  return true;
}

/** Largest absolute difference between an array and a reference. */
export function maxDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}
