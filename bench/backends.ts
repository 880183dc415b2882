// The backends every workload of `pnpm bench:train` runs on (--backends, --cnn-backends, --step-backends).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { matmulNaive } from '../packages/tensor/dist/kernels/matmul-naive.js';
import { jsKernels, useKernels, type Kernels } from '../packages/tensor/dist/index.js';
import { startKernelThreads } from '../packages/tensor/dist/node.js';
import { crossCoreRoundTrip } from './cross-core.js';
import { childArguments } from './options.js';
import { print, type BenchLine } from './report.js';

/** The seed's design: one float64 dot product per output element, no blocking. */
const naiveKernels: Kernels = { name: 'js-naive', matmulFloat32: matmulNaive, matmulFloat64: matmulNaive };

/**
 * Runs `body` on an in-process backend, handing it and adding to its result `threads`, how many
 * threads share the kernels' work:
 * - `auto`: what activeKernels() selects (WebAssembly SIMD on Node 20), one thread;
 * - `threads`: the same with startKernelThreads() from @annet/tensor/node (os.availableParallelism()
 *   threads share the large products), stopped afterwards; the cross-core round trip is measured
 *   and printed first (bench/cross-core.ts: the 2-thread figures depend on it);
 * - `js`: the TypeScript kernels; `naive`: a naive triple-loop matmul.
 * (`relaxed` needs a child process: {@link forEachBackend}.)
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
  if (backend === 'threads') print({ kind: 'cross-core', roundTripNs: Math.round(await crossCoreRoundTrip()) });
  const threads = backend === 'threads' ? await startKernelThreads() : null;
  try {
    const count = threads?.threads ?? 1;
    return { ...body(count), threads: count };
  } finally {
    await threads?.stop();
    useKernels(null);
  }
}

/** The runs of `model` in a child `node --experimental-wasm-relaxed-simd` (Node 20 hides relaxed SIMD behind it). */
function runRelaxedChild(model: string): BenchLine[] {
  const self = fileURLToPath(new URL('./train.js', import.meta.url));
  const auto = ['auto'];
  const overrides = { models: [model], backends: auto, cnnBackends: auto, stepBackends: auto, withReference: false };
  const result = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', self, ...childArguments(overrides)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const reason = (result.stderr ?? '').trim().split('\n').pop();
    return [{ model, backend: 'wasm-relaxed-simd', skipped: `child failed: ${reason}` }];
  }
  return result.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as BenchLine)
    .filter((line) => line.backend === 'wasm-relaxed-simd' && line.model === model);
}

/**
 * Runs `body` once per backend of `backends` ({@link onBackend}'s, and `relaxed`: the same
 * workload in a child `node --experimental-wasm-relaxed-simd`, whose lines are printed here).
 *
 * @example
 * await forEachBackend('gpt', ['auto', 'threads'], (backend, threads) => print({ ...trainGpt(...), threads }));
 */
export async function forEachBackend(
  model: string,
  backends: readonly string[],
  body: (backend: string, threads: number) => void,
): Promise<void> {
  for (const backend of backends) {
    if (backend === 'relaxed') for (const line of runRelaxedChild(model)) print(line);
    else await onBackend(backend, (threads) => (body(backend, threads), {}));
  }
}
