import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wasmRelaxedSimdBase64, wasmRelaxedSimdSharedBase64 } from './wasm-binary.generated.js';
import { wasmModuleBytes } from './wasm-module.js';

/**
 * Node 20 runs relaxed SIMD only behind `--experimental-wasm-relaxed-simd`, which NODE_OPTIONS
 * refuses, so the relaxed module is exercised in a child process started with the flag (or
 * without it where the runtime already has relaxed SIMD). The child checks the export list and
 * compares products in every transpose case, with accumulate and padding, against a float64
 * triple loop, and prints the worst relative error as JSON.
 */
const childScript = `
const bytes = Uint8Array.from(atob(process.argv[1]), (c) => c.charCodeAt(0));
const imports = process.argv[2] === 'shared' ? { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true }) } } : {};
const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name).sort();
let seed = 7;
const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1;
let worst = 0, cases = 0;
for (const [m, n, k] of [[1, 1, 1], [5, 9, 3], [13, 17, 300], [4, 8, 256], [70, 11, 33]]) {
  for (const transposeA of [0, 1]) for (const transposeB of [0, 1]) for (const accumulate of [0, 1]) {
    const lda = (transposeA ? m : k) + 1, ldb = (transposeB ? k : n) + 2, ldc = n;
    const aRows = transposeA ? k : m, bRows = transposeB ? n : k;
    const base = (exports.heapBase() + 63) & ~63;
    const aAt = base, bAt = aAt + aRows * lda * 4, cAt = bAt + bRows * ldb * 4, scratch = cAt + m * n * 4;
    const need = scratch + exports.matmulScratchBytes(m, n, k);
    if (need > exports.memory.buffer.byteLength) exports.memory.grow(Math.ceil((need - exports.memory.buffer.byteLength) / 65536));
    const heap = new Float32Array(exports.memory.buffer);
    for (let i = 0; i < aRows * lda; i++) heap[aAt / 4 + i] = next();
    for (let i = 0; i < bRows * ldb; i++) heap[bAt / 4 + i] = next();
    for (let i = 0; i < m * n; i++) heap[cAt / 4 + i] = next();
    const previous = heap.slice(cAt / 4, cAt / 4 + m * n);
    exports.matmulF32(aAt, lda, transposeA, bAt, ldb, transposeB, cAt, ldc, m, n, k, accumulate, 0, 0, scratch);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let sum = accumulate ? previous[i * n + j] : 0, scale = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        const product = heap[aAt / 4 + (transposeA ? p * lda + i : i * lda + p)] * heap[bAt / 4 + (transposeB ? j * ldb + p : p * ldb + j)];
        sum += product; scale += Math.abs(product);
      }
      worst = Math.max(worst, Math.abs(heap[cAt / 4 + i * n + j] - sum) / scale);
    }
    cases++;
  }
}
console.log(JSON.stringify({ names, worst, cases }));
`;

describe('the relaxed-SIMD kernel module (in a child process with relaxed SIMD enabled)', () => {
  it.each([
    ['own', wasmRelaxedSimdBase64],
    ['shared', wasmRelaxedSimdSharedBase64],
  ])(
    'with its %s memory: exports the kernel ABI and agrees with a float64 reference in every transpose case',
    (memory, base64) => {
      const nativeRelaxed = WebAssembly.validate(wasmModuleBytes('relaxed-simd'));
      const flags = nativeRelaxed ? [] : ['--experimental-wasm-relaxed-simd'];
      const output = execFileSync(
        process.execPath,
        [...flags, '--input-type=module', '-e', childScript, base64, memory],
        { encoding: 'utf8' },
      );
      const result = JSON.parse(output) as { names: string[]; worst: number; cases: number };
      expect(result.names).toEqual([
        'heapBase',
        'matmulF32',
        'matmulScratchBytes',
        'memory',
        'tileColumns',
        'tileRows',
      ]);
      expect(result.cases).toBe(40);
      expect(result.worst).toBeLessThan(1e-5);
    },
  );
});
