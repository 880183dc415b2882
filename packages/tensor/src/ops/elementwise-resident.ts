import { AnnetError } from '../errors.js';
import { layerKernelsOfActiveBackend, type LayerKernelExports } from '../kernels/layer-kernels.js';

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
  (kernels[kernel] as LayerKernelExports['addF32'])(
    memory.addressOf(a),
    memory.addressOf(b),
    memory.addressOf(out),
    size,
  );
  return true;
}

/**
 * out[i] = a[i] + b[i] for i < size, in WebAssembly SIMD in the kernels' memory (`out` may be `a`
 * or `b`; arrays from index 0). Runs only when the active kernels are WebAssembly on a shared
 * memory and every array is resident there; then returns true. Otherwise does nothing and
 * returns false (the caller runs its own loop, which gives the same bits: one float32 rounding).
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
 * 4; then returns true. Otherwise does nothing and returns false.
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
  if (resident === null || columns % 4 !== 0) return false;
  const { kernels, memory } = resident;
  if (!memory.owns(x) || !memory.owns(out)) return false;
  kernels.columnSumsF32(memory.addressOf(x), memory.addressOf(out), rows, columns);
  return true;
}
