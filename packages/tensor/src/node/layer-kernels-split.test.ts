import { afterAll, describe, expect, it } from 'vitest';
import { activeKernels } from '../kernels/kernel-selection.js';
import { layerSplitMinimumElements } from '../kernels/layer-kernels-split.js';
import type { WasmKernels } from '../kernels/wasm-kernels.js';
import { addResident, columnSumsResident, multiplyResident } from '../ops/elementwise-resident.js';
import { geluTanhResident } from '../ops/gelu-tanh.js';
import { layerNormResident } from '../ops/layer-norm-resident.js';
import { maskedSoftmaxBackwardResident, maskedSoftmaxResident } from '../ops/masked-softmax-resident.js';
import { fillDeterministic as fill } from '../testing/fill.js';
import { startKernelThreads, type KernelThreadsHandle } from './kernel-worker-threads.js';

const kernels = activeKernels() as WasmKernels;
const resident = (length: number, seed: number): Float32Array => fill(kernels.allocateFloat32(length)!, seed);
/** A copy of the bits (the arrays are reused by later passes' allocations once freed). */
const bits = (values: Float32Array): Uint32Array =>
  new Uint32Array(values.buffer, values.byteOffset, values.length).slice();
const sameBits = (first: Uint32Array, second: Uint32Array): boolean =>
  first.length === second.length && first.every((word, index) => word === second[index]);

/** Every split pass on fresh resident arrays; returns its outputs, to compare bit for bit. */
function passes(): Float32Array[] {
  const outputs: Float32Array[] = [];
  // GELU over sizes above the split threshold, one not a multiple of 16 (its tail stays in the last part).
  for (const size of [layerSplitMinimumElements, 768 * 512, 100_003]) {
    const input = resident(size + 5, size);
    const output = resident(size, 1);
    const slope = resident(size, 2);
    expect(geluTanhResident(input, 5, output, slope, size)).toBe(true);
    outputs.push(output, slope);
  }
  // LayerNorm forward over [768, 128] and an odd row count.
  for (const rows of [768, 1001]) {
    const output = resident(rows * 128, 3);
    expect(
      layerNormResident(resident(rows * 128, rows), output, resident(128, 4), resident(128, 5), rows, 128, 1e-5),
    ).toBe(true);
    outputs.push(output);
  }
  // The masked softmax and its backward over the GPT's [12·4·64, 64] scores, causal, and 5 blocks of [40, 48] without mask.
  for (const [rows, queries, keys, causal] of [
    [12 * 4 * 64, 64, 64, true],
    [5 * 40 * 7, 40, 48, false],
  ] as const) {
    const scores = resident(rows * keys, rows);
    expect(maskedSoftmaxResident(scores, rows, queries, keys, causal, 0.17)).toBe(true);
    const gradient = resident(rows * keys, keys);
    expect(maskedSoftmaxBackwardResident(scores, gradient, rows, queries, keys, causal, 0.17)).toBe(true);
    outputs.push(scores, gradient);
  }
  // The elementwise add and product, over the GPT's residual [768, 128] and MLP [768, 512] and a size not a multiple of 16, in place too.
  // The outputs carry 16 values past `size` that no pass may touch (a last part running past the end would).
  for (const size of [768 * 128, 768 * 512, 100_003]) {
    const a = resident(size + 16, size + 7);
    const b = resident(size, size + 8);
    const sum = resident(size + 16, 9);
    const product = resident(size + 16, 10);
    expect(addResident(a, b, sum, size)).toBe(true);
    expect(multiplyResident(a, b, product, size)).toBe(true);
    expect(addResident(a, b, a, size)).toBe(true);
    outputs.push(sum, product, a);
  }
  // Column sums (bias gradients) in ranges of 16-column blocks: the GPT's widths, one that is not
  // a multiple of 16 (its last 4 columns go to the last range) and one of only 2 blocks.
  for (const [rows, columns] of [
    [768, 128],
    [768, 512],
    [2000, 52],
    [4096, 32],
  ] as const) {
    const sums = resident(columns, 11);
    expect(columnSumsResident(resident(rows * columns, rows + columns), sums, rows, columns)).toBe(true);
    outputs.push(sums);
  }
  return outputs;
}

/** The export names `body` ran on the kernel threads (ParallelKernels.run), to check the passes really split. */
function splitExports(body: () => void): Set<string> {
  const parallel = kernels.parallel!;
  const run = parallel.run;
  const names = new Set<string>();
  parallel.run = (module, name, parts) => {
    names.add(name);
    run.call(parallel, module, name, parts);
  };
  try {
    body();
  } finally {
    parallel.run = run;
  }
  return names;
}

describe('layer passes split across kernel threads', () => {
  let handle: KernelThreadsHandle | undefined;
  afterAll(async () => {
    await handle?.stop();
  });

  it('give bit-identical GELU, LayerNorm, masked softmax, add, product and column-sum results on 2 and 3 threads to one thread', async () => {
    const single = passes().map(bits);
    for (const threads of [2, 3]) {
      handle = await startKernelThreads({ threads });
      expect(kernels.parallel!.threads).toBe(threads);
      let threaded: Uint32Array[] = [];
      const names = splitExports(() => (threaded = passes().map(bits)));
      await handle.stop();
      expect([...names].sort()).toEqual([
        'addF32',
        'columnSumsF32',
        'geluTanhF32',
        'layerNormForwardF32',
        'maskedSoftmaxBackwardF32',
        'maskedSoftmaxF32',
        'multiplyF32',
      ]);
      threaded.forEach((values, index) =>
        expect(sameBits(values, single[index]), `pass ${index} on ${threads} threads`).toBe(true),
      );
    }
  });
});
