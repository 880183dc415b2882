import { AnnetError } from '../errors.js';
import {
  imageKernelsOfActiveBackend,
  imageNormKernelBytes,
  type ResidentImageKernels,
} from '../kernels/image-kernels.js';
import { splitKernel } from '../kernels/split-kernel.js';

// BatchNorm's passes over float32 [batch, channels, inner] data in WebAssembly SIMD, for arrays
// resident in the active kernels' shared memory. Per-channel statistics are plain Float64Arrays,
// copied into and out of a resident staging area (a few hundred doubles), so the callers keep
// ordinary arrays. No call allocates: loops, not subarrays or array literals.
//
// With kernel threads, large passes are shared (split-kernel.ts) so that every value is computed
// as in one call: the elementwise passes in whole samples (n), the channel sums in whole channels
// (each channel's sum added up by one thread, sample after sample, as on one thread; never
// partial sums combined afterwards).

/**
 * The channel sums split only from 2^17 values: on 2 threads at batch 64 the ResNet's
 * [64, 16, 196] sums took 42-48 µs in one call and 33-36 µs split, but [64, 32, 49] (100,352
 * values) 23-24 µs and 25-30 µs, [64, 64, 16] 16-18 µs and 21-31 µs.
 */
const channelSumsSplitMinimumElements = 1 << 17;

/**
 * Where a BatchNorm pass runs: float32 data laid out [batch, channels, inner] (each array from
 * its given offset), and `channels` float64 values per statistic.
 *
 * @example
 * const layout: ChannelLayout = { batch: 64, channels: 16, inner: 196 };
 */
export interface ChannelLayout {
  readonly batch: number;
  readonly channels: number;
  readonly inner: number;
}

function checkData(operation: string, layout: ChannelLayout, what: string, array: Float32Array, offset: number): void {
  const { batch, channels, inner } = layout;
  const valid = Number.isSafeInteger(batch) && Number.isSafeInteger(channels) && Number.isSafeInteger(inner);
  if (
    !valid ||
    batch < 0 ||
    channels < 0 ||
    inner < 0 ||
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    array.length < offset + batch * channels * inner
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${what} of ${array.length} elements from offset ${offset} does not fit layout [${batch}, ${channels}, ${inner}]; expected non-negative integers and at least batch·channels·inner elements after the offset`,
    );
}

function checkStatistic(operation: string, layout: ChannelLayout, what: string, array: Float64Array): void {
  if (array.length < layout.channels)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${what} has ${array.length} values; expected at least ${layout.channels} (one per channel)`,
    );
}

/** The kernels when every array is resident and staging fits; null otherwise. */
function residentFor(a: Float32Array, b: Float32Array, c: Float32Array, doubles: number): ResidentImageKernels | null {
  const resident = imageKernelsOfActiveBackend();
  if (resident === null) return null;
  const { memory } = resident;
  if (!memory.owns(a) || !memory.owns(b) || !memory.owns(c)) return null;
  return resident.staging(doubles, 1) === null ? null : resident;
}

function stage(resident: ResidentImageKernels, slot: number, channels: number, values: Float64Array): number {
  const staging = resident.staging(channels * 5, 1)!;
  for (let c = 0; c < channels; c++) staging[slot * channels + c] = values[c];
  return staging.byteOffset + 8 * slot * channels;
}

function unstage(resident: ResidentImageKernels, slot: number, channels: number, out: Float64Array): void {
  const staging = resident.staging(channels * 5, 1)!;
  for (let c = 0; c < channels; c++) out[c] = staging[slot * channels + c];
}

const address = (resident: ResidentImageKernels, array: Float32Array, offset: number): number =>
  resident.memory.addressOf(array) + 4 * offset;

/**
 * out[c] = Σ_{n,i} x[n, c, i] or, with `center`, Σ_{n,i} (x[n, c, i] − center[c])², in float64
 * (two lanes, so the last float64 bits may differ from a one-lane loop), in WebAssembly SIMD when
 * x is resident in the active kernels' shared memory; then returns true. Otherwise does nothing
 * and returns false (the caller runs its own loop).
 *
 * @example
 * if (!channelSumsResident(x, 0, { batch: 64, channels: 16, inner: 196 }, sums)) sumLoop();
 */
export function channelSumsResident(
  x: Float32Array,
  offset: number,
  layout: ChannelLayout,
  out: Float64Array,
  center?: Float64Array,
): boolean {
  const operation = 'channelSumsResident';
  checkData(operation, layout, 'x', x, offset);
  checkStatistic(operation, layout, 'out', out);
  if (center !== undefined) checkStatistic(operation, layout, 'center', center);
  const { channels } = layout;
  const resident = residentFor(x, x, x, 5 * channels);
  if (resident === null) return false;
  const sums = stage(resident, 0, channels, out);
  const mean = center === undefined ? sums : stage(resident, 1, channels, center);
  const xAddress = address(resident, x, offset);
  const { batch, inner } = layout;
  const squares = center === undefined ? 0 : 1;
  const split = splitKernel(
    imageNormKernelBytes(),
    'channelSumsF32',
    channels,
    batch * channels * inner,
    (part, start, count) => {
      part.length = 9;
      part[0] = xAddress;
      part[1] = sums;
      part[2] = mean;
      part[3] = batch;
      part[4] = channels;
      part[5] = inner;
      part[6] = squares;
      part[7] = start;
      part[8] = start + count;
    },
    channelSumsSplitMinimumElements,
  );
  if (!split) resident.kernels.channelSumsF32(xAddress, sums, mean, batch, channels, inner, squares, 0, channels);
  unstage(resident, 0, channels, out);
  return true;
}

/**
 * y[n, c, i] = (x[n, c, i] − mean[c])·scale[c] + shift[c], computed in float64 and rounded once
 * (the bits of the same expression in TypeScript), in WebAssembly SIMD when x and y are resident;
 * then returns true, else false. y starts at index 0 and may be x.
 *
 * @example
 * if (!batchNormNormalizeResident(x, 0, y, layout, channelMeans, scale, shift)) normalizeLoop();
 */
export function batchNormNormalizeResident(
  x: Float32Array,
  offset: number,
  y: Float32Array,
  layout: ChannelLayout,
  mean: Float64Array,
  scale: Float64Array,
  shift: Float64Array,
): boolean {
  const operation = 'batchNormNormalizeResident';
  checkData(operation, layout, 'x', x, offset);
  checkData(operation, layout, 'y', y, 0);
  checkStatistic(operation, layout, 'mean', mean);
  checkStatistic(operation, layout, 'scale', scale);
  checkStatistic(operation, layout, 'shift', shift);
  const { channels } = layout;
  const resident = residentFor(x, y, y, 5 * channels);
  if (resident === null) return false;
  const xAddress = address(resident, x, offset);
  const yAddress = address(resident, y, 0);
  const meanAddress = stage(resident, 0, channels, mean);
  const scaleAddress = stage(resident, 1, channels, scale);
  const shiftAddress = stage(resident, 2, channels, shift);
  const { batch, inner } = layout;
  const sampleBytes = 4 * channels * inner;
  const split = splitKernel(
    imageNormKernelBytes(),
    'batchNormNormalizeF32',
    batch,
    batch * channels * inner,
    (part, start, count) => {
      part.length = 8;
      part[0] = xAddress + start * sampleBytes;
      part[1] = yAddress + start * sampleBytes;
      part[2] = meanAddress;
      part[3] = scaleAddress;
      part[4] = shiftAddress;
      part[5] = count;
      part[6] = channels;
      part[7] = inner;
    },
  );
  if (!split)
    resident.kernels.batchNormNormalizeF32(
      xAddress,
      yAddress,
      meanAddress,
      scaleAddress,
      shiftAddress,
      batch,
      channels,
      inner,
    );
  return true;
}

/**
 * BatchNorm's backward sums, overwriting: sumGradient[c] = Σ dy and
 * sumGradientNormalized[c] = Σ dy·(x − mean[c])·inverseDeviation[c], in float64 (two lanes), in
 * WebAssembly SIMD when x and dy are resident; then returns true, else false.
 *
 * @example
 * if (!batchNormGradientSumsResident(x, 0, dy, 0, layout, channelMeans, inverseDeviation, sumGradient, sumGradientNormalized)) sumsLoop();
 */
export function batchNormGradientSumsResident(
  x: Float32Array,
  offset: number,
  dy: Float32Array,
  gradientOffset: number,
  layout: ChannelLayout,
  mean: Float64Array,
  inverseDeviation: Float64Array,
  sumGradient: Float64Array,
  sumGradientNormalized: Float64Array,
): boolean {
  const operation = 'batchNormGradientSumsResident';
  checkData(operation, layout, 'x', x, offset);
  checkData(operation, layout, 'dy', dy, gradientOffset);
  checkStatistic(operation, layout, 'mean', mean);
  checkStatistic(operation, layout, 'inverseDeviation', inverseDeviation);
  checkStatistic(operation, layout, 'sumGradient', sumGradient);
  checkStatistic(operation, layout, 'sumGradientNormalized', sumGradientNormalized);
  const { channels } = layout;
  const resident = residentFor(x, dy, dy, 5 * channels);
  if (resident === null) return false;
  const sums = stage(resident, 2, channels, sumGradient);
  // One call even with kernel threads: split by channels it took longer at every ResNet size
  // (2 threads, batch 64: [64, 64, 16] 27 → 50-67 µs, [64, 16, 196] 75 → 106-112 µs, [64, 16, 784]
  // 291 → 293-320 µs), unlike channelSumsResident's one-array sums.
  resident.kernels.batchNormGradientSumsF32(
    address(resident, x, offset),
    address(resident, dy, gradientOffset),
    stage(resident, 0, channels, mean),
    stage(resident, 1, channels, inverseDeviation),
    sums,
    sums + 8 * channels,
    layout.batch,
    channels,
    layout.inner,
  );
  unstage(resident, 2, channels, sumGradient);
  unstage(resident, 3, channels, sumGradientNormalized);
  return true;
}

/**
 * dx[n, c, i] = factor[c]·(dy − meanGradient[c] − (x − mean[c])·inverseDeviation[c]·meanGradientNormalized[c]),
 * in float64 rounded once (the bits of the same expression in TypeScript), in WebAssembly SIMD
 * when x, dy and dx are resident; then returns true, else false. dx starts at index 0.
 *
 * @example
 * if (!batchNormInputGradientResident(x, 0, dy, 0, dx, layout, statistics)) gradientLoop();
 */
export function batchNormInputGradientResident(
  x: Float32Array,
  offset: number,
  dy: Float32Array,
  gradientOffset: number,
  dx: Float32Array,
  layout: ChannelLayout,
  statistics: BatchNormGradientStatistics,
): boolean {
  const operation = 'batchNormInputGradientResident';
  checkData(operation, layout, 'x', x, offset);
  checkData(operation, layout, 'dy', dy, gradientOffset);
  checkData(operation, layout, 'dx', dx, 0);
  const { mean, inverseDeviation, factor, meanGradient, meanGradientNormalized } = statistics;
  checkStatistic(operation, layout, 'mean', mean);
  checkStatistic(operation, layout, 'inverseDeviation', inverseDeviation);
  checkStatistic(operation, layout, 'factor', factor);
  checkStatistic(operation, layout, 'meanGradient', meanGradient);
  checkStatistic(operation, layout, 'meanGradientNormalized', meanGradientNormalized);
  const { channels } = layout;
  const resident = residentFor(x, dy, dx, 5 * channels);
  if (resident === null) return false;
  const xAddress = address(resident, x, offset);
  const dyAddress = address(resident, dy, gradientOffset);
  const dxAddress = address(resident, dx, 0);
  const statistic = stage(resident, 0, channels, mean); // then the other four, `channels` doubles apart
  stage(resident, 1, channels, inverseDeviation);
  stage(resident, 2, channels, factor);
  stage(resident, 3, channels, meanGradient);
  stage(resident, 4, channels, meanGradientNormalized);
  const { batch, inner } = layout;
  const sampleBytes = 4 * channels * inner;
  const split = splitKernel(
    imageNormKernelBytes(),
    'batchNormInputGradientF32',
    batch,
    batch * channels * inner,
    (part, start, count) => {
      part.length = 11;
      part[0] = xAddress + start * sampleBytes;
      part[1] = dyAddress + start * sampleBytes;
      part[2] = dxAddress + start * sampleBytes;
      for (let slot = 0; slot < 5; slot++) part[3 + slot] = statistic + 8 * slot * channels;
      part[8] = count;
      part[9] = channels;
      part[10] = inner;
    },
  );
  if (!split) {
    const step = 8 * channels;
    resident.kernels.batchNormInputGradientF32(
      xAddress,
      dyAddress,
      dxAddress,
      statistic,
      statistic + step,
      statistic + 2 * step,
      statistic + 3 * step,
      statistic + 4 * step,
      batch,
      channels,
      inner,
    );
  }
  return true;
}

/**
 * The per-channel values of BatchNorm's input gradient, C doubles each: mean μ, 1/√(σ² + ε),
 * factor γ/√(σ² + ε), Σdy/m and Σdy·x̂/m.
 *
 * @example
 * const statistics: BatchNormGradientStatistics = { mean: channelMeans, inverseDeviation, factor, meanGradient, meanGradientNormalized };
 */
export interface BatchNormGradientStatistics {
  readonly mean: Float64Array;
  readonly inverseDeviation: Float64Array;
  readonly factor: Float64Array;
  readonly meanGradient: Float64Array;
  readonly meanGradientNormalized: Float64Array;
}
