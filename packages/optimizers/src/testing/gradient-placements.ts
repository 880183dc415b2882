import type { ParallelKernels, Parameter } from '@annet/layer-api';
import { seededRandom } from './fixtures.js';
import { testMemory } from './resident-memory.js';

/**
 * Where a test's float32 gradients live, which decides the path clipGradNorm takes:
 * - `typescript`: ordinary Float32Arrays (the TypeScript loops);
 * - `shared`, `ordinary`: views of a shared or an ordinary WebAssembly memory with `memory` set
 *   (the SIMD kernels);
 * - `threads`: a shared memory whose `parallel` reports two threads (the kernels still run on
 *   the calling thread; `run` throws, so a split would fail the test).
 */
export type GradientPlacement = 'typescript' | 'shared' | 'ordinary' | 'threads';

/** Every {@link GradientPlacement}, the TypeScript one first. */
export const gradientPlacements: readonly GradientPlacement[] = ['typescript', 'shared', 'ordinary', 'threads'];

const refusingThreads: ParallelKernels = {
  threads: 2,
  register: () => ({ exports: [] }),
  run: () => {
    throw new Error('clipGradNorm is not expected to split its passes across threads');
  },
};

/** Float32 parameters named `p0`, `p1`, … whose gradients hold `gradients`, placed as `placement` says. */
export function placedParameters(placement: GradientPlacement, gradients: readonly Float32Array[]): Parameter[] {
  if (placement === 'typescript')
    return gradients.map((gradient, index) => ({
      name: `p${index}`,
      shape: [gradient.length],
      value: new Float32Array(gradient.length),
      grad: Float32Array.from(gradient),
    }));
  const elements = gradients.reduce((sum, gradient) => sum + gradient.length + 4, 0);
  const pages = Math.ceil((64 + 8 * elements + 65536) / 65536);
  const memory = testMemory({ pages, shared: placement !== 'ordinary' });
  const where = placement === 'threads' ? { ...memory, parallel: refusingThreads } : memory;
  return gradients.map((gradient, index) => {
    // A zero-length array cannot live in the memory (allocateFloat32 needs a length): an ordinary one, as layers do.
    if (gradient.length === 0)
      return { name: `p${index}`, shape: [0], value: new Float32Array(0), grad: new Float32Array(0) };
    const parameter = memory.parameter(`p${index}`, [gradient.length], new Float32Array(gradient.length));
    parameter.grad.set(gradient);
    return { ...parameter, memory: where };
  });
}

/**
 * `length` float32 values reproducible from `seed`, a mixture of what gradients hold and what is
 * hard to sum: ±0, subnormals, tiny and ordinary values, values near 1, and with `large` values up
 * to 3·10^38 (their squares still fit a float64 many times over; without them the ordinary values
 * decide the rounding of the sum).
 */
export function mixedFloat32(length: number, seed: number, large = true): Float32Array {
  const random = seededRandom(seed);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const kind = Math.floor(random() * 8);
    const sign = random() < 0.5 ? -1 : 1;
    const fraction = random();
    values[i] =
      kind === 0
        ? sign * 0
        : kind === 1
          ? sign * fraction * 1.1754942e-38 // subnormal (or 0)
          : kind === 2
            ? sign * fraction * 1e-30
            : kind === 3
              ? sign * (1 + fraction * 2 ** -20)
              : kind === 4 && large
                ? sign * fraction * 3e38
                : sign * (fraction - 0.5) * 2 ** Math.floor(random() * 40 - 20);
  }
  return values;
}

/** The bits of a float32 array, for exact comparison (NaNs by payload, −0 apart from 0). */
export function float32Bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}
