import type { Kernels } from './kernels.js';
import { matmulBlocked } from './matmul-blocked.js';

/**
 * The TypeScript kernels: the reference every other backend is tested against, and the
 * fallback wherever WebAssembly is missing. matmul is register-blocked with float64
 * accumulation (see `matmul-blocked.ts`), for float32 and float64 alike.
 *
 * @example
 * useKernels(jsKernels); // force the reference kernels, e.g. to compare backends
 */
export const jsKernels: Kernels = {
  name: 'js',
  matmulFloat32: matmulBlocked,
  matmulFloat64: matmulBlocked,
};
