import { AnnetError } from '../errors.js';
import { layerKernelsOfActiveBackend } from '../kernels/layer-kernels.js';
import { splitLayerKernel } from '../kernels/layer-kernels-split.js';

function checkGeometry(operation: string, rows: number, queries: number, keys: number, arrays: number): void {
  const integers = Number.isSafeInteger(rows) && Number.isSafeInteger(queries) && Number.isSafeInteger(keys);
  if (!integers || rows < 0 || queries < 1 || keys < 1 || rows % queries !== 0 || arrays < rows * keys)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected rows a multiple of queries ≥ 1 and rows·keys ≤ ${arrays} elements, got rows ${rows}, queries ${queries}, keys ${keys}`,
    );
}

/**
 * Attention's masked softmax in WebAssembly SIMD, in place over `rows` rows of `keys` float32
 * scores (from index 0; row r is query r mod `queries`): p_j = e^(s·x_j − m)/Σ_k e^(s·x_k − m) over
 * the visible keys, m their maximum of s·x, and 0 at the others. With `causal`, query i sees keys
 * j ≤ i + keys − queries; otherwise all. e^x to about a float32 ulp, sums in float32 lanes.
 * Runs only when the active kernels are WebAssembly on a shared memory, `values` is resident
 * there, `keys` is a multiple of 4 and (when causal) keys ≥ queries, so every query sees a key;
 * then returns true. Otherwise does nothing and returns false (the caller runs its own loop,
 * which also handles key-padding masks).
 *
 * @example
 * if (!maskedSoftmaxResident(scores, 12 * 4 * 64, 64, 64, true, 1 / Math.sqrt(32))) fallbackLoop();
 */
export function maskedSoftmaxResident(
  values: Float32Array,
  rows: number,
  queries: number,
  keys: number,
  causal: boolean,
  scale: number,
): boolean {
  checkGeometry('maskedSoftmaxResident', rows, queries, keys, values.length);
  const resident = layerKernelsOfActiveBackend();
  if (resident === null || keys % 4 !== 0 || (causal && keys < queries) || !resident.memory.owns(values)) return false;
  const address = resident.memory.addressOf(values);
  // Large passes are shared by the kernel threads in blocks of `queries` rows (each row's mask
  // depends on its row mod queries), bit-identical: see layer-kernels-split.ts.
  const split = splitLayerKernel('maskedSoftmaxF32', rows / queries, rows * keys, (part, start, count) => {
    part.length = 6;
    part[0] = address + 4 * start * queries * keys;
    part[1] = count * queries;
    part[2] = queries;
    part[3] = keys;
    part[4] = causal ? 1 : 0;
    part[5] = scale;
  });
  if (!split) resident.kernels.maskedSoftmaxF32(address, rows, queries, keys, causal ? 1 : 0, scale);
  return true;
}

/**
 * The backward of {@link maskedSoftmaxResident}, in place over `gradient` (∂L/∂p, laid out as
 * `probabilities`): ∂L/∂x = s · p ⊙ (∂L/∂p − Σ_k p_k ∂L/∂p_k) per row over the visible keys, 0 at
 * the others. Same conditions and result as {@link maskedSoftmaxResident}.
 *
 * @example
 * maskedSoftmaxBackwardResident(probabilities, gradient, rows, 64, 64, true, 1 / Math.sqrt(32));
 */
export function maskedSoftmaxBackwardResident(
  probabilities: Float32Array,
  gradient: Float32Array,
  rows: number,
  queries: number,
  keys: number,
  causal: boolean,
  scale: number,
): boolean {
  const operation = 'maskedSoftmaxBackwardResident';
  checkGeometry(operation, rows, queries, keys, Math.min(probabilities.length, gradient.length));
  const resident = layerKernelsOfActiveBackend();
  if (resident === null || keys % 4 !== 0 || (causal && keys < queries)) return false;
  const { kernels, memory } = resident;
  if (!memory.owns(probabilities) || !memory.owns(gradient)) return false;
  const probabilitiesAddress = memory.addressOf(probabilities);
  const gradientAddress = memory.addressOf(gradient);
  const split = splitLayerKernel('maskedSoftmaxBackwardF32', rows / queries, rows * keys, (part, start, count) => {
    part.length = 7;
    part[0] = probabilitiesAddress + 4 * start * queries * keys;
    part[1] = gradientAddress + 4 * start * queries * keys;
    part[2] = count * queries;
    part[3] = queries;
    part[4] = keys;
    part[5] = causal ? 1 : 0;
    part[6] = scale;
  });
  if (!split)
    kernels.maskedSoftmaxBackwardF32(probabilitiesAddress, gradientAddress, rows, queries, keys, causal ? 1 : 0, scale);
  return true;
}
