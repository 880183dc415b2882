import { afterEach, describe, expect, it } from 'vitest';
import { activeKernels, registerKernelsCandidate, useKernels } from './backend.js';
import { jsKernels } from './js-kernels.js';
import type { Kernels } from './kernels.js';

const fake: Kernels = { name: 'fake', matmulFloat32: jsKernels.matmulFloat32, matmulFloat64: jsKernels.matmulFloat64 };

describe('kernel selection', () => {
  afterEach(() => {
    useKernels(null);
    registerKernelsCandidate(null);
  });

  it('uses the TypeScript reference when nothing is registered or forced', () => {
    expect(activeKernels()).toBe(jsKernels);
  });

  it('asks a registered candidate once, lazily, passing the reference as fallback', () => {
    let calls = 0;
    registerKernelsCandidate((reference) => {
      calls++;
      expect(reference).toBe(jsKernels);
      return fake;
    });
    expect(calls).toBe(0);
    expect(activeKernels()).toBe(fake);
    expect(activeKernels()).toBe(fake);
    expect(calls).toBe(1);
  });

  it('lets useKernels override the selection and restore the previous choice', () => {
    registerKernelsCandidate(() => fake);
    expect(useKernels(jsKernels)).toBeNull();
    expect(activeKernels()).toBe(jsKernels);
    expect(useKernels(null)).toBe(jsKernels);
    expect(activeKernels()).toBe(fake);
  });
});
