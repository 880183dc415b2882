import { AnnetError } from '../errors.js';
import { imageKernelsOfActiveBackend, imageNormKernelBytes } from '../kernels/image-kernels.js';
import { kernelSplitMinimumElements, splitKernel } from '../kernels/split-kernel.js';
import { layerKernelBytes, layerKernelsOfActiveBackend, type LayerKernelExports } from '../kernels/layer-kernels.js';
import { splitLayerKernel } from '../kernels/layer-kernels-split.js';

function checkFits(operation: string, size: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
  if (!Number.isSafeInteger(size) || size < 0 || a.length < size || b.length < size || out.length < size)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `size ${size} does not fit arrays of ${a.length}, ${b.length} and ${out.length} elements`,
    );
}

function runBinary(
  operation: 'addResident' | 'multiplyResident',
  kernel: 'addF32' | 'multiplyF32',
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  size: number,
): boolean {
  checkFits(operation, size, a, b, out);
  const resident = layerKernelsOfActiveBackend();
  if (resident === null) return false;
  const { kernels, memory } = resident;
  if (!memory.owns(a) || !memory.owns(b) || !memory.owns(out)) return false;
  const aAddress = memory.addressOf(a);
  const bAddress = memory.addressOf(b);
  const outAddress = memory.addressOf(out);
  if (!splitInGroups(layerKernelBytes(), kernel, aAddress, bAddress, outAddress, size))
    (kernels[kernel] as LayerKernelExports['addF32'])(aAddress, bAddress, outAddress, size);
  return true;
}

/**
 * out[i] = a[i] + b[i] for i < size, in WebAssembly SIMD in the kernels' memory (`out` may be `a`
 * or `b`; arrays from index 0). Runs only when the active kernels are WebAssembly on a shared
 * memory and every array is resident there; then returns true. Otherwise does nothing and
 * returns false (the caller runs its own loop, which gives the same bits: one float32 rounding).
 * With kernel threads running, a pass of at least 2^16 values is shared in 16-element groups
 * (the same bits).
 *
 * @example
 * if (!addResident(x.data, y.data, out.data, x.size)) for (let i = 0; i < x.size; i++) out.data[i] = x.data[i] + y.data[i];
 */
export function addResident(a: Float32Array, b: Float32Array, out: Float32Array, size: number): boolean {
  return runBinary('addResident', 'addF32', a, b, out, size);
}

/**
 * out[i] = a[i] · b[i] for i < size; otherwise as {@link addResident}.
 *
 * @example
 * if (!multiplyResident(slope, dy, dx, n)) for (let i = 0; i < n; i++) dx[i] = slope[i] * dy[i];
 */
export function multiplyResident(a: Float32Array, b: Float32Array, out: Float32Array, size: number): boolean {
  return runBinary('multiplyResident', 'multiplyF32', a, b, out, size);
}

/**
 * out[j] = Σ_r x[r·columns + j] for j < columns (a bias gradient: the column sums of a
 * `[rows, columns]` gradient), in WebAssembly SIMD: every column summed in float64 row after row,
 * then rounded once, as a plain float64 loop does. Runs only when the active kernels are
 * WebAssembly on a shared memory, both arrays are resident there and `columns` is a multiple of
 * 4 and at least 8; then returns true. Otherwise does nothing and returns false. With kernel
 * threads running, a pass over at least 2^16 values and 32 columns is shared in ranges of whole
 * 16-column blocks, each column summed by one thread in the same order (the same bits).
 *
 * @example
 * if (!columnSumsResident(gradient.data, biasGradient, 768, 384)) sum(gradient, 0, false, { out: biasTensor });
 */
export function columnSumsResident(x: Float32Array, out: Float32Array, rows: number, columns: number): boolean {
  if (
    !Number.isSafeInteger(rows) ||
    !Number.isSafeInteger(columns) ||
    rows < 0 ||
    columns < 0 ||
    x.length < rows * columns ||
    out.length < columns
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'columnSumsResident',
      `rows ${rows} × columns ${columns} do not fit x of ${x.length} and out of ${out.length} elements`,
    );
  const resident = layerKernelsOfActiveBackend();
  if (resident === null || columns % 4 !== 0 || columns < 8) return false;
  const { kernels, memory } = resident;
  if (!memory.owns(x) || !memory.owns(out)) return false;
  const xAddress = memory.addressOf(x);
  const outAddress = memory.addressOf(out);
  // Large passes are shared by the kernel threads in ranges of whole 16-column blocks (64 bytes
  // of each row; the last range takes the columns past the last whole block), each summed by the
  // same code in the same row order: bit-identical to one call.
  const blocks = Math.floor(columns / 16);
  const split = splitLayerKernel('columnSumsF32', blocks, rows * columns, (part, start, count) => {
    const first = 16 * start;
    // The range that reaches the last block ends at the last column; an empty trailing range sums none.
    const end = start + count === blocks ? columns : 16 * (start + count);
    part.length = 5;
    part[0] = xAddress + 4 * first;
    part[1] = outAddress + 4 * first;
    part[2] = rows;
    part[3] = count === 0 ? 0 : end - first;
    part[4] = columns;
  });
  if (!split) kernels.columnSumsF32(xAddress, outAddress, rows, columns, columns);
  return true;
}

/**
 * ReLU's passes split only from 2^17 values: one call over 65,536 took 10-23 µs on 2 threads in
 * the ResNet step at batch 64, and split 11-52 µs; over 200,704, 32-66 µs in one call and 23-55 µs split.
 */
const reluSplitMinimumElements = 1 << 17;

/**
 * Runs export `name` of module `bytes` over `size` values at byte addresses `first`, `second`
 * and `third` (−1 for a two-array pass), its last argument the count, shared by the kernel
 * threads in 16-element groups when they run and the pass has at least `minimumElements` values
 * (by default {@link kernelSplitMinimumElements}; bit-identical: split-kernel.ts); false when the
 * caller should make its one call. Used by ReLU's forward (x, y) and backward (x, dy, dx) and by
 * the elementwise add and product (a, b, out).
 */
function splitInGroups(
  bytes: Uint8Array,
  name: string,
  first: number,
  second: number,
  third: number,
  size: number,
  minimumElements = kernelSplitMinimumElements,
): boolean {
  const arrays = third < 0 ? 2 : 3;
  return splitKernel(
    bytes,
    name,
    Math.ceil(size / 16),
    size,
    (part, start, count) => {
      part.length = arrays + 1;
      part[0] = first + 64 * start;
      part[1] = second + 64 * start;
      if (arrays === 3) part[2] = third + 64 * start;
      part[arrays] = Math.max(0, Math.min(16 * count, size - 16 * start));
    },
    minimumElements,
  );
}

/**
 * y[i] = ReLU(x[xOffset + i]) for i < size, as the ReLU layer's loop: x·[x > 0] + 0 (so −0 and
 * −∞ give +0) with NaN kept; in WebAssembly SIMD when both arrays are resident in the active
 * kernels' shared memory (then returns true), else does nothing and returns false.
 *
 * @example
 * if (!reluResident(x, 0, y, n)) for (let i = 0; i < n; i++) y[i] = Math.max(x[i], 0);
 */
export function reluResident(x: Float32Array, xOffset: number, y: Float32Array, size: number): boolean {
  if (
    !Number.isSafeInteger(size) ||
    size < 0 ||
    !Number.isSafeInteger(xOffset) ||
    xOffset < 0 ||
    x.length < xOffset + size ||
    y.length < size
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'reluResident',
      `size ${size} from offset ${xOffset} does not fit x of ${x.length} and y of ${y.length} elements`,
    );
  const resident = imageKernelsOfActiveBackend();
  if (resident === null || !resident.memory.owns(x) || !resident.memory.owns(y)) return false;
  const xAddress = resident.memory.addressOf(x) + 4 * xOffset;
  const yAddress = resident.memory.addressOf(y);
  if (!splitInGroups(imageNormKernelBytes(), 'reluF32', xAddress, yAddress, -1, size, reluSplitMinimumElements))
    resident.kernels.reluF32(xAddress, yAddress, size);
  return true;
}

/**
 * dx[i] = dy[dyOffset + i]·[x[xOffset + i] > 0] + 0 for i < size (ReLU's gradient, +0 for −0 and
 * NaN for a non-finite dy where x ≤ 0, as the layer's loop); in WebAssembly SIMD when the three
 * arrays are resident (then returns true), else does nothing and returns false.
 *
 * @example
 * if (!reluBackwardResident(x, 0, dy, 0, dx, n)) for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
 */
export function reluBackwardResident(
  x: Float32Array,
  xOffset: number,
  dy: Float32Array,
  dyOffset: number,
  dx: Float32Array,
  size: number,
): boolean {
  if (
    !Number.isSafeInteger(size) ||
    size < 0 ||
    !Number.isSafeInteger(xOffset) ||
    !Number.isSafeInteger(dyOffset) ||
    xOffset < 0 ||
    dyOffset < 0 ||
    x.length < xOffset + size ||
    dy.length < dyOffset + size ||
    dx.length < size
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'reluBackwardResident',
      `size ${size} from offsets ${xOffset} and ${dyOffset} does not fit x of ${x.length}, dy of ${dy.length} and dx of ${dx.length} elements`,
    );
  const resident = imageKernelsOfActiveBackend();
  if (resident === null) return false;
  const { memory } = resident;
  if (!memory.owns(x) || !memory.owns(dy) || !memory.owns(dx)) return false;
  const xAddress = memory.addressOf(x) + 4 * xOffset;
  const dyAddress = memory.addressOf(dy) + 4 * dyOffset;
  const dxAddress = memory.addressOf(dx);
  if (
    !splitInGroups(
      imageNormKernelBytes(),
      'reluBackwardF32',
      xAddress,
      dyAddress,
      dxAddress,
      size,
      reluSplitMinimumElements,
    )
  )
    resident.kernels.reluBackwardF32(xAddress, dyAddress, dxAddress, size);
  return true;
}
