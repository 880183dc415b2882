// Float32 matmul GFLOP/s per backend at the shapes of the tensor and performance issues:
//   js                 the TypeScript blocked kernel (the reference backend)
//   wasm-simd          the WebAssembly SIMD backend on ordinary arrays: operands copied into and out of wasm memory
//   wasm-simd resident the same backend on arrays allocated in its shared memory (residentZeros, as layers
//                      allocate parameters, activations and gradients): read in place, no copies
//   threads            the automatically selected backend on resident operands, one thread and with
//                      startKernelThreads (all cores) from @annet/tensor/node
//   wasm-relaxed-simd  the relaxed-SIMD module, run in a child `node --experimental-wasm-relaxed-simd`
//                      (Node 20 hides relaxed SIMD behind that flag, and NODE_OPTIONS refuses it)
// Run: pnpm bench (compiles with tsconfig.bench.json, then node .bench/bench/matmul-backends.js).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Kernels, MatmulArguments } from '../src/kernels/kernels.js';
import { activeKernels } from '../src/kernels/kernel-selection.js';
import { jsKernels } from '../src/kernels/js-kernels.js';
import { startKernelThreads } from '../src/node.js';
import { createWasmKernels, type WasmKernels } from '../src/kernels/wasm-kernels.js';
import { detectWasmVariant, type WasmVariant } from '../src/kernels/wasm-module.js';
import { printTable } from './timing.js';

interface Case {
  label: string;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
}

const cases: Case[] = [
  { label: 'n=64', m: 64, n: 64, k: 64, transposeA: false, transposeB: false },
  { label: 'n=256', m: 256, n: 256, k: 256, transposeA: false, transposeB: false },
  { label: 'n=512', m: 512, n: 512, k: 512, transposeA: false, transposeB: false },
  { label: '[64,784]x[784,128]', m: 64, n: 128, k: 784, transposeA: false, transposeB: false },
  { label: '[784,64]^T x [64,128] (A^T)', m: 784, n: 128, k: 64, transposeA: true, transposeB: false },
  { label: '[64,128]x[128,784]^T (B^T)', m: 64, n: 784, k: 128, transposeA: false, transposeB: true },
  { label: '[256,784]x[784,128]', m: 256, n: 128, k: 784, transposeA: false, transposeB: false },
  { label: '[784,256]^T x [256,128] (A^T)', m: 784, n: 128, k: 256, transposeA: true, transposeB: false },
  { label: '[256,128]x[128,784]^T (B^T)', m: 256, n: 784, k: 128, transposeA: false, transposeB: true },
];

const reference: Kernels = jsKernels;

function operands(testCase: Case): MatmulArguments<Float32Array> {
  const { m, n, k, transposeA, transposeB } = testCase;
  const a = new Float32Array(m * k).map((_, index) => ((index * 7) % 11) / 11 - 0.5);
  const b = new Float32Array(k * n).map((_, index) => ((index * 3) % 5) / 5 - 0.5);
  return {
    a,
    aOffset: 0,
    lda: transposeA ? m : k,
    transposeA,
    b,
    bOffset: 0,
    ldb: transposeB ? k : n,
    transposeB,
    out: new Float32Array(m * n),
    outOffset: 0,
    ldc: n,
    m,
    n,
    k,
    accumulate: false,
  };
}

/**
 * Seconds per call from the fastest of many short samples (each ~0.3 ms of back-to-back calls).
 * On a shared machine the minimum is what the code costs when nothing preempts it; a mean over
 * long rounds measures the neighbours as much as the kernel.
 */
function bestSecondsPerCall(body: () => void, milliseconds = 400): number {
  body();
  let start = performance.now();
  body();
  const estimate = Math.max(performance.now() - start, 1e-4);
  const calls = Math.max(1, Math.ceil(0.3 / estimate));
  let best = Infinity;
  const end = performance.now() + milliseconds;
  while (performance.now() < end) {
    start = performance.now();
    for (let call = 0; call < calls; call++) body();
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return best / 1000;
}

function gflops(testCase: Case, body: () => void): number {
  return (2 * testCase.m * testCase.n * testCase.k) / bestSecondsPerCall(body) / 1e9;
}

/** The backend on A, B and C allocated in its shared memory: what a training step costs now that layers keep tensors there. */
function residentGflops(kernels: WasmKernels, testCase: Case, args: MatmulArguments<Float32Array>): number {
  const place = (values: Float32Array): Float32Array => {
    const array = kernels.allocateFloat32(values.length);
    if (array === null) throw new Error('no shared kernel memory: the resident column needs SharedArrayBuffer');
    array.set(values);
    return array;
  };
  const resident = { ...args, a: place(args.a), b: place(args.b), out: place(args.out) };
  return gflops(testCase, () => kernels.matmulFloat32(resident));
}

/** [copied, resident] GFLOP/s of one wasm variant on every case. */
function measureWasm(variant: WasmVariant): Array<[number, number]> {
  const kernels = createWasmKernels(variant, reference);
  return cases.map((testCase) => {
    const args = operands(testCase);
    return [gflops(testCase, () => kernels.matmulFloat32(args)), residentGflops(kernels, testCase, args)];
  });
}

function relaxedInChild(): Array<[number, number]> | string {
  try {
    const output = execFileSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', fileURLToPath(import.meta.url), '--child=relaxed-simd'],
      { encoding: 'utf8' },
    );
    return JSON.parse(output) as Array<[number, number]>;
  } catch (error) {
    return `not runnable (${String(error).split('\n')[0]})`;
  }
}

if (process.argv.includes('--child=relaxed-simd')) {
  if (detectWasmVariant() !== 'relaxed-simd') throw new Error('relaxed SIMD does not validate in this child');
  console.log(JSON.stringify(measureWasm('relaxed-simd')));
} else {
  const simd = measureWasm('simd');
  const relaxed = relaxedInChild();
  const rows = cases.map((testCase, index) => {
    const args = operands(testCase);
    const js = gflops(testCase, () => jsKernels.matmulFloat32(args));
    const [copied, resident] = simd[index];
    const copyShare = `${Math.round((1 - copied / resident) * 100)}%`;
    const relaxedCells = typeof relaxed === 'string' ? ['-', '-'] : relaxed[index].map((value) => value.toFixed(1));
    return [testCase.label, js.toFixed(2), copied.toFixed(1), resident.toFixed(1), copyShare, ...relaxedCells];
  });
  console.log('float32 matmul, GFLOP/s, one thread (fastest of many short samples)');
  printTable(
    ['shape', 'js', 'wasm-simd', 'wasm-simd resident', 'copy share', 'wasm-relaxed-simd', 'relaxed resident'],
    rows,
  );
  if (typeof relaxed === 'string') console.log(`wasm-relaxed-simd: ${relaxed}`);

  const active = activeKernels() as WasmKernels;
  if (active.sharedMemory !== null) {
    const single = cases.map((testCase) => residentGflops(active, testCase, operands(testCase)));
    const threads = await startKernelThreads();
    const parallel = cases.map((testCase) => residentGflops(active, testCase, operands(testCase)));
    await threads.stop();
    console.log(
      `\n${active.name} on resident operands: one thread and ${threads.threads} threads (startKernelThreads; products of at least 2^19 multiply-adds are split)`,
    );
    printTable(
      ['shape', '1 thread', `${threads.threads} threads`, 'speed-up'],
      cases.map((testCase, index) => [
        testCase.label,
        single[index].toFixed(1),
        parallel[index].toFixed(1),
        (parallel[index] / single[index]).toFixed(2),
      ]),
    );
    console.log(`(${os.availableParallelism()} cores available; the figures hold only when they are otherwise idle)`);
  }
}
