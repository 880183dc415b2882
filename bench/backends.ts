import { matmulNaive } from '../packages/tensor/dist/kernels/matmul-naive.js';
import { jsKernels, useKernels, type Kernels } from '../packages/tensor/dist/index.js';
import { startKernelThreads } from '../packages/tensor/dist/node.js';

/** The seed's design: one float64 dot product per output element, no blocking. */
const naiveKernels: Kernels = { name: 'js-naive', matmulFloat32: matmulNaive, matmulFloat64: matmulNaive };

/**
 * Runs `body` on an in-process backend, handing it and adding to its result `threads`, how many
 * threads share the kernels' work:
 * - `auto`: what activeKernels() selects (WebAssembly SIMD on Node 20), one thread;
 * - `threads`: the same with startKernelThreads() from @annet/tensor/node (os.availableParallelism()
 *   threads share the large products), stopped afterwards;
 * - `js`: the TypeScript kernels; `naive`: a naive triple-loop matmul.
 * (`relaxed` needs a child process: see bench/train.ts.)
 *
 * @example
 * const result = await onBackend('threads', () => trainGpt(tokens, 85, 30, 3, 1)); // result.threads === 2
 */
export async function onBackend<T extends object>(
  backend: string,
  body: (threads: number) => T,
): Promise<T & { threads: number }> {
  if (!['auto', 'threads', 'js', 'naive'].includes(backend))
    throw new Error(`bench:train: unknown backend ${JSON.stringify(backend)} (auto, threads, relaxed, js, naive)`);
  useKernels(backend === 'js' ? jsKernels : backend === 'naive' ? naiveKernels : null);
  const threads = backend === 'threads' ? await startKernelThreads() : null;
  try {
    const count = threads?.threads ?? 1;
    return { ...body(count), threads: count };
  } finally {
    await threads?.stop();
    useKernels(null);
  }
}
