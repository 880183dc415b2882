import { afterAll, describe, expect, it } from 'vitest';
import { imageNormKernelBytes } from '../kernels/image-kernels.js';
import { activeKernels } from '../kernels/kernel-selection.js';
import { kernelSplitMinimumElements, splitKernel } from '../kernels/split-kernel.js';
import type { WasmKernels } from '../kernels/wasm-kernels.js';
import {
  batchNormGradientSumsResident,
  batchNormInputGradientResident,
  batchNormNormalizeResident,
  channelSumsResident,
  type ChannelLayout,
} from '../ops/batch-norm-resident.js';
import { reluBackwardResident, reluResident } from '../ops/elementwise-resident.js';
import { maxPool2x2Resident, maxUnpool2x2Resident } from '../ops/max-pool-resident.js';
import { cachedPlan } from '../ops/im2col.js';
import {
  col2imBatchColumnsResident,
  im2colBatchColumnsResident,
  transposeBlocksResident,
} from '../ops/im2col-batch-columns.js';
import type { Im2colOptions } from '../ops/conv-geometry.js';
import { windowsResident } from '../ops/window-resident.js';
import { Tensor } from '../tensor.js';
import { fillDeterministic as fill } from '../testing/fill.js';
import { startKernelThreads, type KernelThreadsHandle } from './kernel-worker-threads.js';

const kernels = activeKernels() as WasmKernels;
const resident = (length: number, seed: number): Float32Array => fill(kernels.allocateFloat32(length)!, seed);
const residentTensor = (shape: readonly number[], seed: number): Tensor =>
  new Tensor(
    resident(
      shape.reduce((product, size) => product * size, 1),
      seed,
    ),
    shape,
  );
/** Deterministic doubles, for per-channel statistics (positive where `positive`, as 1/σ and γ/σ are). */
function doubles(length: number, seed: number, positive = false): Float64Array {
  const values = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    const value = Math.sin(seed + 1.37 * index) * 0.8;
    values[index] = positive ? 0.3 + Math.abs(value) : value;
  }
  return values;
}
/** A copy of the bits (resident arrays are reused by later allocations once freed). */
const bits = (values: Float32Array | Float64Array): Uint32Array =>
  new Uint32Array(values.buffer, values.byteOffset, values.byteLength / 4).slice();
const sameBits = (first: Uint32Array, second: Uint32Array): boolean =>
  first.length === second.length && first.every((word, index) => word === second[index]);

// Convolutions above the split threshold: the ResNet's 16-channel 14×14 layer at batch 64 (1.8M
// column entries), 7 odd-sized samples at stride 2 (3 threads take 3, 3 and 1 samples; 72,576
// entries) and 2 samples (fewer samples than 3 threads).
const convolutions: readonly (readonly [readonly number[], Im2colOptions])[] = [
  [[64, 16, 14, 14], { kernelSize: 3, padding: 1 }],
  [[7, 8, 23, 23], { kernelSize: 3, stride: 2, padding: 1 }],
  [[2, 16, 30, 30], { kernelSize: [3, 2], padding: [1, 0, 2, 1], dilation: [1, 2] }],
];

/** im2col and col2im in both column layouts, the block transposes and 2x2 max pooling; returns their outputs. */
function windowPasses(): Float32Array[] {
  const outputs: Float32Array[] = [];
  for (const [shape, options] of convolutions) {
    const plan = cachedPlan(shape, options, 'test');
    const [samples, patch, positions] = plan.columnsShape;
    const x = residentTensor(shape, shape[0]);
    const batchColumns = residentTensor([patch, samples * positions], 1);
    expect(im2colBatchColumnsResident(x, options, batchColumns)).toBe(true);
    const image = residentTensor(shape, 2);
    expect(col2imBatchColumnsResident(residentTensor([patch, samples * positions], 3), options, image)).toBe(true);
    const sampleColumns = resident(samples * patch * positions, 4);
    expect(windowsResident('unfold', plan.geometry, x.data, 0, sampleColumns, 0)).toBe(true);
    const folded = resident(x.size, 5);
    expect(windowsResident('fold', plan.geometry, folded, 0, resident(sampleColumns.length, 6), 0)).toBe(true);
    outputs.push(batchColumns.data as Float32Array, image.data as Float32Array, sampleColumns, folded);
  }
  // [F, N, P] → [N, F, P] and back at the ResNet's sizes, and 7 × 9 blocks of 1,041 (65,583 values).
  for (const [outer, inner, block] of [
    [16, 64, 196],
    [64, 16, 196],
    [7, 9, 1041],
  ]) {
    const target = residentTensor([inner, outer, block], 7);
    expect(transposeBlocksResident(residentTensor([outer, inner, block], outer), target, outer, inner, block)).toBe(
      true,
    );
    outputs.push(target.data as Float32Array);
  }
  // 2x2 max pooling and its gradient over the ResNet's stem output [64, 16, 28, 28], and 37
  // planes of 45 × 47 (odd sizes: the last row and column are in no window; 78,255 values,
  // 3 threads take 13, 13 and 11 planes).
  for (const [planes, height, width] of [
    [64 * 16, 28, 28],
    [37, 45, 47],
  ]) {
    const outHeight = height >> 1;
    const outWidth = width >> 1;
    const output = resident(planes * outHeight * outWidth, 8);
    const winners = resident(output.length, 9);
    const winnerIndices = new Int32Array(winners.buffer, winners.byteOffset, winners.length);
    expect(
      maxPool2x2Resident(
        resident(planes * height * width + 1, planes),
        1,
        output,
        winnerIndices,
        planes,
        height,
        width,
        outHeight,
        outWidth,
      ),
    ).toBe(true);
    const inputGradient = resident(planes * height * width, 10);
    expect(
      maxUnpool2x2Resident(
        resident(output.length + 2, 11),
        2,
        winnerIndices,
        inputGradient,
        planes,
        height,
        width,
        outHeight,
        outWidth,
      ),
    ).toBe(true);
    outputs.push(output, winners, inputGradient);
  }
  return outputs;
}

// BatchNorm layouts above the thresholds (2^17 for the channel sums): the ResNet's [64, 16, 196],
// 37 channels of 401 values over 9 samples (133,533; neither a multiple of 4 nor of the thread
// count) and 2 channels (fewer than 3 threads) of 13,127.
const layouts: readonly ChannelLayout[] = [
  { batch: 64, channels: 16, inner: 196 },
  { batch: 9, channels: 37, inner: 401 },
  { batch: 5, channels: 2, inner: 13127 },
];

/** BatchNorm's four passes (the sums with and without a center) and ReLU's two; returns their outputs. */
function normalizationPasses(): (Float32Array | Float64Array)[] {
  const outputs: (Float32Array | Float64Array)[] = [];
  for (const layout of layouts) {
    const { batch, channels, inner } = layout;
    const size = batch * channels * inner;
    const x = resident(size + 3, channels);
    const dy = resident(size + 1, inner);
    const sums = doubles(channels, 1);
    const squares = doubles(channels, 2);
    expect(channelSumsResident(x, 3, layout, sums)).toBe(true);
    expect(channelSumsResident(x, 3, layout, squares, doubles(channels, 3))).toBe(true);
    const y = resident(size, 4);
    const mean = doubles(channels, 5);
    const inverseDeviation = doubles(channels, 6, true);
    expect(batchNormNormalizeResident(x, 3, y, layout, mean, inverseDeviation, doubles(channels, 7))).toBe(true);
    const sumGradient = doubles(channels, 8);
    const sumGradientNormalized = doubles(channels, 9);
    expect(
      batchNormGradientSumsResident(x, 3, dy, 1, layout, mean, inverseDeviation, sumGradient, sumGradientNormalized),
    ).toBe(true);
    const dx = resident(size, 10);
    const statistics = {
      mean,
      inverseDeviation,
      factor: doubles(channels, 11, true),
      meanGradient: doubles(channels, 12),
      meanGradientNormalized: doubles(channels, 13),
    };
    expect(batchNormInputGradientResident(x, 3, dy, 1, dx, layout, statistics)).toBe(true);
    outputs.push(sums, squares, y, sumGradient, sumGradientNormalized, dx);
  }
  // ReLU over its threshold (2^17) plus 3 (the tail in the last part) and the ResNet's [64, 16, 14, 14].
  for (const size of [(1 << 17) + 3, 64 * 16 * 196]) {
    const x = resident(size + 2, size);
    const y = resident(size, 1);
    expect(reluResident(x, 2, y, size)).toBe(true);
    const dx = resident(size, 2);
    expect(reluBackwardResident(x, 2, resident(size + 1, 3), 1, dx, size)).toBe(true);
    outputs.push(y, dx);
  }
  return outputs;
}

describe('image passes split across kernel threads', () => {
  let handle: KernelThreadsHandle | undefined;
  afterAll(async () => {
    await handle?.stop();
  });

  it('give bit-identical im2col, col2im, block transposes, max pooling, BatchNorm and ReLU results on 2 and 3 threads to one thread', async () => {
    const single = [...windowPasses(), ...normalizationPasses()].map(bits);
    for (const threads of [2, 3]) {
      handle = await startKernelThreads({ threads });
      expect(kernels.parallel!.threads).toBe(threads);
      const threaded = [...windowPasses(), ...normalizationPasses()].map(bits);
      await handle.stop();
      expect(threaded.length).toBe(single.length);
      threaded.forEach((values, index) =>
        expect(sameBits(values, single[index]), `pass ${index} on ${threads} threads`).toBe(true),
      );
    }
  });

  it('splitKernel cuts units into one disjoint range per thread, covering them all, and declines small or single-thread passes', async () => {
    const size = kernelSplitMinimumElements;
    const x = resident(size, 1);
    const y = resident(size, 2);
    const ranges: number[][] = [];
    // ReLU in 16-element groups, recording each part's range.
    const relu = (units: number): boolean =>
      splitKernel(imageNormKernelBytes(), 'reluF32', units, size, (part, start, count) => {
        ranges.push([start, count]);
        part.length = 3;
        part[0] = x.byteOffset + 64 * start;
        part[1] = y.byteOffset + 64 * start;
        part[2] = 16 * count;
      });
    expect(relu(size / 16)).toBe(false); // no kernel threads: the caller makes its one call
    handle = await startKernelThreads({ threads: 3 });
    // ⌈units / 3⌉ units each, the last part what is left: 7 → 3, 3, 1; 4 → 2, 2, 0; 2 → two parts of 1.
    for (const [units, expected] of [
      [
        7,
        [
          [0, 3],
          [3, 3],
          [6, 1],
        ],
      ],
      [
        4,
        [
          [0, 2],
          [2, 2],
          [4, 0],
        ],
      ],
      [
        2,
        [
          [0, 1],
          [1, 1],
        ],
      ],
    ] as const) {
      ranges.length = 0;
      expect(relu(units)).toBe(true);
      expect(ranges).toEqual(expected);
    }
    expect(relu(1)).toBe(false); // one unit: nothing to share
    expect(
      splitKernel(imageNormKernelBytes(), 'reluF32', 64, kernelSplitMinimumElements - 1, () => {
        throw new Error('fill must not run below the threshold');
      }),
    ).toBe(false);
    // A pass's own, larger minimum.
    expect(splitKernel(imageNormKernelBytes(), 'reluF32', 64, size, () => {}, size + 1)).toBe(false);
    // The parts ran: y = ReLU(x) over the 7 · 16 values of the first call (later calls covered fewer).
    for (let index = 0; index < 7 * 16; index++) expect(y[index]).toBe(x[index] > 0 ? x[index] : 0);
    await handle.stop();
  });
});
