import { AnnetError } from '../errors.js';
import { layerKernelsOfActiveBackend } from '../kernels/layer-kernels.js';
import { splitLayerKernel } from '../kernels/layer-kernels-split.js';

/**
 * GPT-2's tanh GELU over `size` float32 values in WebAssembly SIMD, in place in the kernels'
 * memory: output[i] = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³), x = input[inputOffset + i],
 * and, when `slope` is given, slope[i] = dy/dx = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²).
 * tanh is a float32 rational approximation (within a few float32 ulps; ±1 beyond |u| ≥ 7.905).
 *
 * Runs only when the active kernels are the WebAssembly backend on a shared memory and every
 * array is resident there (`residentZeros`, or a layer's workspace buffers); then returns true.
 * Otherwise it does nothing and returns false, and the caller runs its own loop (the GELU layer's
 * TypeScript path, which gives the same values to float32 rounding). `output` may be `input`.
 *
 * @example
 * const x = residentZeros([768, 512], 'float32'), y = residentZeros([768, 512], 'float32');
 * if (!geluTanhResident(x.data, 0, y.data, null, x.size)) fallbackLoop();
 */
export function geluTanhResident(
  input: Float32Array,
  inputOffset: number,
  output: Float32Array,
  slope: Float32Array | null,
  size: number,
): boolean {
  if (
    !Number.isSafeInteger(size) ||
    !Number.isSafeInteger(inputOffset) ||
    size < 0 ||
    inputOffset < 0 ||
    inputOffset + size > input.length ||
    size > output.length ||
    (slope !== null && size > slope.length)
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'geluTanhResident',
      `size ${size} from inputOffset ${inputOffset} does not fit input (${input.length}), output (${output.length})${slope === null ? '' : ` and slope (${slope.length})`} elements`,
    );
  if (size === 0) return true;
  const resident = layerKernelsOfActiveBackend();
  if (resident === null) return false;
  const { kernels, memory } = resident;
  if (!memory.owns(input) || !memory.owns(output) || (slope !== null && !memory.owns(slope))) return false;
  const inputAddress = memory.addressOf(input) + inputOffset * 4;
  const outputAddress = memory.addressOf(output);
  const slopeAddress = slope === null ? 0 : memory.addressOf(slope);
  // Large passes are shared by the kernel threads in 16-element groups (bit-identical: see layer-kernels-split.ts).
  const groups = Math.ceil(size / 16);
  const split = splitLayerKernel('geluTanhF32', groups, size, (part, start, count) => {
    const first = start * 16;
    part.length = 4;
    part[0] = inputAddress + 4 * first;
    part[1] = outputAddress + 4 * first;
    part[2] = slopeAddress === 0 ? 0 : slopeAddress + 4 * first;
    part[3] = Math.max(0, Math.min(count * 16, size - first));
  });
  if (!split) kernels.geluTanhF32(inputAddress, outputAddress, slopeAddress, size);
  return true;
}
