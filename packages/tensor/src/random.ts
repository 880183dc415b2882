import { allocate, assertDType, type DType, type FloatDType, type TypedArrayFor } from './dtype.js';
import { describeValue } from './describe-value.js';
import { AnnetError } from './errors.js';
import { checkShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** The whole state of a {@link Rng}: plain JSON, so saving a generator is writing this out. */
export interface RngState {
  /** Always `'xoshiro128**'`. */
  readonly algorithm: 'xoshiro128**';
  /** The four 32-bit words of state, as unsigned integers. */
  readonly words: readonly [number, number, number, number];
}

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman and Vigna, 2018,
 * https://prng.di.unimi.it/) seeded through SplitMix32. Its whole state is four 32-bit words,
 * readable with {@link Rng.state} and restorable with {@link Rng.setState} or {@link rngFromState}.
 * Integer arithmetic only (`Math.imul`, shifts), so every platform gives the same stream.
 *
 * @example
 * const rng = createRng(42);
 * const saved = rng.state();
 * const a = rng.uniform();
 * rng.setState(saved);
 * rng.uniform() === a; // true
 */
export class Rng {
  /** The four state words s0..s3 (an Int32Array: plain fields would hold boxed numbers above 2³⁰). */
  private readonly words = new Int32Array(4);

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new AnnetError('INVALID_ARGUMENT', 'createRng', `seed must be a safe integer, got ${seed}`);
    }
    // SplitMix32 over the low and high 32 bits of the seed fills the state; never all zero.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x9e3779b9);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const words = this.words;
    words[0] = next();
    words[1] = next();
    words[2] = next();
    words[3] = next();
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const words = this.words;
    const result = Math.imul(rotateLeft(Math.imul(words[1], 5), 7), 9) >>> 0;
    const t = words[1] << 9;
    words[2] ^= words[0];
    words[3] ^= words[1];
    words[1] ^= words[2];
    words[0] ^= words[3];
    words[2] ^= t;
    words[3] = rotateLeft(words[3], 11);
    return result;
  }

  /**
   * Writes the next `count` 32-bit unsigned integers into `out[0 .. count)`: the same numbers, in
   * the same order, as `count` calls of {@link Rng.nextUint32}, with the state kept in locals over
   * the loop (about four times faster per number, for masks over whole tensors).
   *
   * @example
   * const words = new Uint32Array(1024);
   * rng.fillUint32(words); // words[i] < keep * 2 ** 32 is the decision uniform() < keep
   */
  fillUint32(out: Uint32Array, count = out.length): void {
    if (!Number.isSafeInteger(count) || count < 0 || count > out.length)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'Rng.fillUint32',
        `count must be an integer in [0, ${out.length}] (the array's length), got ${count}`,
      );
    const words = this.words;
    let s0 = words[0];
    let s1 = words[1];
    let s2 = words[2];
    let s3 = words[3];
    for (let index = 0; index < count; index++) {
      out[index] = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotateLeft(s3, 11);
    }
    words[0] = s0;
    words[1] = s1;
    words[2] = s2;
    words[3] = s3;
  }

  /** A float uniform in `[low, high)` (default `[0, 1)`), with 32 random bits. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * (this.nextUint32() * 2.3283064365386963e-10);
  }

  /** A normal sample (Marsaglia's polar method; one sample per accepted pair). */
  normal(mean = 0, standardDeviation = 1): number {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.uniform(-1, 1);
      v = this.uniform(-1, 1);
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    return mean + standardDeviation * u * Math.sqrt((-2 * Math.log(s)) / s);
  }

  /** An integer uniform in `[low, high)`, without modulo bias. */
  randint(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low || high - low > 4294967296) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'randint',
        `expected integers low < high with high - low <= 2^32, got [${low}, ${high})`,
      );
    }
    const range = high - low;
    if (range === 4294967296) return low + this.nextUint32();
    const limit = 4294967296 - (4294967296 % range);
    let value: number;
    do value = this.nextUint32();
    while (value >= limit);
    return low + (value % range);
  }

  /** True with probability `probability`. */
  bernoulli(probability: number): boolean {
    if (!(probability >= 0 && probability <= 1)) {
      throw new AnnetError('INVALID_ARGUMENT', 'bernoulli', `probability must be in [0, 1], got ${probability}`);
    }
    return this.uniform() < probability;
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T {
    for (let index = array.length - 1; index > 0; index--) {
      const other = this.randint(0, index + 1);
      const held = array[index];
      array[index] = array[other];
      array[other] = held;
    }
    return array;
  }

  /** A random permutation of `0 … n - 1`. */
  permutation(n: number): Int32Array {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new AnnetError('INVALID_ARGUMENT', 'permutation', `n must be a non-negative integer, got ${n}`);
    }
    const result = new Int32Array(n);
    for (let index = 0; index < n; index++) result[index] = index;
    return this.shuffle(result);
  }

  /** The generator's whole state as plain JSON. */
  state(): RngState {
    const words = this.words;
    return { algorithm: 'xoshiro128**', words: [words[0] >>> 0, words[1] >>> 0, words[2] >>> 0, words[3] >>> 0] };
  }

  /** Restores a state returned by {@link Rng.state}; the stream continues from there. */
  setState(state: RngState): void {
    const words = state?.words;
    if (
      state?.algorithm !== 'xoshiro128**' ||
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff) ||
      words.every((word) => word === 0)
    ) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'Rng.setState',
        `expected { algorithm: 'xoshiro128**', words: four unsigned 32-bit integers, not all zero }, got ${JSON.stringify(state)}`,
      );
    }
    for (let index = 0; index < 4; index++) this.words[index] = words[index] | 0;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * A new generator seeded with `seed` (any safe integer).
 *
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // the same number on every platform
 */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}

/**
 * A generator that continues from a saved {@link RngState}.
 *
 * @example
 * const saved = JSON.stringify(rng.state());
 * const resumed = rngFromState(JSON.parse(saved)); // continues rng's stream
 */
export function rngFromState(state: RngState): Rng {
  const rng = new Rng(0);
  rng.setState(state);
  return rng;
}

/** Throws unless `rng` is a generator (`createRng(seed)`): `{ seed: 1 }` is a common slip. */
function assertRng(rng: unknown, operation: string): asserts rng is Rng {
  if (
    !(rng instanceof Rng) &&
    !(
      typeof rng === 'object' &&
      rng !== null &&
      typeof (rng as Rng).uniform === 'function' &&
      typeof (rng as Rng).normal === 'function'
    )
  ) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `rng must be a generator, got ${describeValue(rng)}; pass createRng(seed), e.g. ${operation}(shape, createRng(1))`,
    );
  }
}

/**
 * A tensor of samples uniform in `[low, high)` (default `[0, 1)`). For float32, a draw that
 * rounds up to `high` (about 1 in 2^25 for `[0, 1)`) is redrawn, so `high` never appears.
 *
 * @example
 * const weights = randomUniform([784, 128], createRng(0), { low: -0.05, high: 0.05 });
 */
export function randomUniform<D extends DType = 'float32'>(
  shape: readonly number[],
  rng: Rng,
  options: { low?: number; high?: number; dtype?: D } = {},
): Tensor<D> {
  const checked = checkShape(shape, 'randomUniform');
  assertRng(rng, 'randomUniform');
  const dtype = options.dtype ?? ('float32' as D);
  assertDType(dtype, 'randomUniform');
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'randomUniform',
      `expected finite low < high, got low ${low} and high ${high}`,
    );
  }
  const data = allocate(dtype, sizeOf(checked), 'randomUniform') as TypedArrayFor[D];
  for (let index = 0; index < data.length; index++) {
    let value = rng.uniform(low, high);
    if (dtype === 'int32') value = Math.floor(value);
    // Bounded: a range holding no float32 below `high` must not loop forever (it keeps `low`).
    for (let attempt = 0; dtype === 'float32' && Math.fround(value) >= high && attempt < 64; attempt++)
      value = attempt === 63 ? low : rng.uniform(low, high);
    data[index] = value;
  }
  return new Tensor(data, checked);
}

/**
 * A tensor of normal samples (default mean 0, standard deviation 1), in float32 or float64.
 *
 * @example
 * const noise = randomNormal([64, 10], createRng(1), { standardDeviation: 0.1 });
 */
export function randomNormal<D extends FloatDType = 'float32'>(
  shape: readonly number[],
  rng: Rng,
  options: { mean?: number; standardDeviation?: number; dtype?: D } = {},
): Tensor<D> {
  const checked = checkShape(shape, 'randomNormal');
  assertRng(rng, 'randomNormal');
  const dtype = options.dtype ?? ('float32' as D);
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      'randomNormal',
      `dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`,
    );
  }
  const data = allocate(dtype, sizeOf(checked), 'randomNormal') as TypedArrayFor[D];
  for (let index = 0; index < data.length; index++)
    data[index] = rng.normal(options.mean ?? 0, options.standardDeviation ?? 1);
  return new Tensor(data, checked);
}
