import { AnnetError } from '../errors.js';
import { layerKernelsOfActiveBackend } from '../kernels/layer-kernels.js';
import { splitLayerKernel } from '../kernels/layer-kernels-split.js';

/** Throws unless rows·size elements fit `rowsArray` and `otherRows`, and size fit `gamma`. */
function checkRows(
  operation: string,
  rows: number,
  size: number,
  rowsArray: Float32Array,
  otherRows: Float32Array,
  gamma: Float32Array,
): void {
  if (
    !Number.isSafeInteger(rows) ||
    !Number.isSafeInteger(size) ||
    rows < 0 ||
    size < 1 ||
    rowsArray.length < rows * size ||
    otherRows.length < rows * size ||
    gamma.length < size
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `rows ${rows} × size ${size} do not fit arrays of ${rowsArray.length} and ${otherRows.length} elements (rows·size each) and γ of ${gamma.length} (size)`,
    );
}

/**
 * LayerNorm's forward in WebAssembly SIMD over `rows` rows of `size` float32 values in the kernels'
 * memory: y = (x − μ)/√(σ² + ε) ⊙ γ + β per row, with μ and σ² the row's mean and (biased)
 * variance, summed in float32 lanes. Runs only when the active kernels are WebAssembly on a shared
 * memory, every array is resident there and `size` is a multiple of 4; then returns true.
 * Otherwise does nothing and returns false (the caller runs its own loop). Arrays start at index 0.
 *
 * @example
 * if (!layerNormResident(x.data, y.data, gamma, beta, 768, 128, 1e-5)) fallbackLoop();
 */
export function layerNormResident(
  input: Float32Array,
  output: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  rows: number,
  size: number,
  epsilon: number,
): boolean {
  checkRows('layerNormResident', rows, size, input, output, gamma);
  checkRows('layerNormResident', 0, size, input, output, beta);
  const resident = layerKernelsOfActiveBackend();
  if (resident === null || size % 4 !== 0) return false;
  const { kernels, memory } = resident;
  if (!memory.owns(input) || !memory.owns(output) || !memory.owns(gamma) || !memory.owns(beta)) return false;
  const inputAddress = memory.addressOf(input);
  const outputAddress = memory.addressOf(output);
  const gammaAddress = memory.addressOf(gamma);
  const betaAddress = memory.addressOf(beta);
  // Large passes are shared by the kernel threads in whole rows, bit-identical: see layer-kernels-split.ts.
  const split = splitLayerKernel('layerNormForwardF32', rows, rows * size, (part, start, count) => {
    part.length = 7;
    part[0] = inputAddress + 4 * start * size;
    part[1] = outputAddress + 4 * start * size;
    part[2] = gammaAddress;
    part[3] = betaAddress;
    part[4] = count;
    part[5] = size;
    part[6] = epsilon;
  });
  if (!split) kernels.layerNormForwardF32(inputAddress, outputAddress, gammaAddress, betaAddress, rows, size, epsilon);
  return true;
}

/**
 * LayerNorm's backward in WebAssembly SIMD (recomputing μ and σ from `input` as
 * {@link layerNormResident} does): with g = dy ⊙ γ and x̂ the normalized input,
 * dx = (g − mean g − x̂·mean(g ⊙ x̂))/√(σ² + ε); dγ += Σ_rows dy ⊙ x̂ and dβ += Σ_rows dy (zero
 * them first to get the gradients). Same conditions and result as {@link layerNormResident}.
 *
 * @example
 * gammaGradient.fill(0); betaGradient.fill(0);
 * layerNormBackwardResident(x, dy, gamma, dx, gammaGradient, betaGradient, 768, 128, 1e-5);
 */
export function layerNormBackwardResident(
  input: Float32Array,
  outputGradient: Float32Array,
  gamma: Float32Array,
  inputGradient: Float32Array,
  gammaGradient: Float32Array,
  betaGradient: Float32Array,
  rows: number,
  size: number,
  epsilon: number,
): boolean {
  const operation = 'layerNormBackwardResident';
  checkRows(operation, rows, size, input, outputGradient, gamma);
  checkRows(operation, rows, size, inputGradient, inputGradient, gammaGradient);
  checkRows(operation, 0, size, input, input, betaGradient);
  const resident = layerKernelsOfActiveBackend();
  if (resident === null || size % 4 !== 0) return false;
  const { kernels, memory } = resident;
  if (
    !memory.owns(input) ||
    !memory.owns(outputGradient) ||
    !memory.owns(gamma) ||
    !memory.owns(inputGradient) ||
    !memory.owns(gammaGradient) ||
    !memory.owns(betaGradient)
  )
    return false;
  kernels.layerNormBackwardF32(
    memory.addressOf(input),
    memory.addressOf(outputGradient),
    memory.addressOf(gamma),
    memory.addressOf(inputGradient),
    memory.addressOf(gammaGradient),
    memory.addressOf(betaGradient),
    rows,
    size,
    epsilon,
  );
  return true;
}
