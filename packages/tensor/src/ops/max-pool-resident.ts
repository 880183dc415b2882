import { AnnetError } from '../errors.js';
import { imageKernelBytes, imageKernelsOfActiveBackend } from '../kernels/image-kernels.js';
import { splitKernel } from '../kernels/split-kernel.js';

/**
 * Max pooling over full 2x2 windows with stride 2 of `planes` NCHW planes of height × width
 * floats from `input[inputOffset]`, in WebAssembly SIMD: `output` gets the planes' outHeight ×
 * outWidth maxima (from index 0) and `winners` each window's winning position, counted from
 * `inputOffset`. The same numbers as the layers package's TypeScript loop: row-major order with a
 * strict `>` (the first maximum wins a tie), NaN compared as −∞ (never winning; a window of NaNs
 * gives −∞ at its first position). Needs 2·outHeight ≤ height and 2·outWidth ≤ width.
 *
 * Runs only when the active kernels are WebAssembly on a shared memory and the three arrays are
 * resident there (`winners` an Int32Array over resident memory); then returns true. Otherwise
 * does nothing and returns false. With kernel threads running, a large pass is shared in whole
 * planes (each window computed by one thread: the same bits).
 *
 * @example
 * if (!maxPool2x2Resident(x, 0, y, winners, 8 * 16, 28, 28, 14, 14)) maxPool2x2(x, 0, y, winners, 8 * 16, 28, 28, 14, 14);
 */
export function maxPool2x2Resident(
  input: Float32Array,
  inputOffset: number,
  output: Float32Array,
  winners: Int32Array,
  planes: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
): boolean {
  if (
    !windowsFit(inputOffset, planes, height, width, outHeight, outWidth) ||
    input.length < inputOffset + planes * height * width ||
    output.length < planes * outHeight * outWidth ||
    winners.length < planes * outHeight * outWidth
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'maxPool2x2Resident',
      `${planes} planes of ${height}x${width} from offset ${inputOffset} pooled to ${outHeight}x${outWidth} do not fit input of ${input.length}, output of ${output.length} and winners of ${winners.length} elements (expected 2·outHeight ≤ height, 2·outWidth ≤ width)`,
    );
  return runOverPlanes(
    'maxPool2x2F32',
    input,
    inputOffset,
    output,
    winners,
    planes,
    height,
    width,
    outHeight,
    outWidth,
  );
}

/**
 * The gradient of {@link maxPool2x2Resident}: writes all of `inputGradient` (from index 0, the
 * planes' height × width values), each window's output gradient (from
 * `outputGradient[gradientOffset]`) at the position `winners` recorded and +0 everywhere else, as
 * zeroing the gradient and then adding each output gradient at its winner does (a −0 gradient
 * lands as +0). Every element is written once, so the caller does not zero it first.
 *
 * Runs only when the active kernels are WebAssembly on a shared memory and the three arrays are
 * resident there; then returns true. Otherwise does nothing and returns false. Shared in whole
 * planes by the kernel threads when they run.
 *
 * @example
 * if (!maxUnpool2x2Resident(dy, 0, winners, dx, 8 * 16, 28, 28, 14, 14)) { dx.fill(0); for (let o = 0; o < dy.length; o++) dx[winners[o]] += dy[o]; }
 */
export function maxUnpool2x2Resident(
  outputGradient: Float32Array,
  gradientOffset: number,
  winners: Int32Array,
  inputGradient: Float32Array,
  planes: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
): boolean {
  if (
    !windowsFit(gradientOffset, planes, height, width, outHeight, outWidth) ||
    outputGradient.length < gradientOffset + planes * outHeight * outWidth ||
    winners.length < planes * outHeight * outWidth ||
    inputGradient.length < planes * height * width
  )
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'maxUnpool2x2Resident',
      `${planes} planes of ${height}x${width} pooled to ${outHeight}x${outWidth} do not fit an output gradient of ${outputGradient.length} from offset ${gradientOffset}, winners of ${winners.length} and an input gradient of ${inputGradient.length} elements (expected 2·outHeight ≤ height, 2·outWidth ≤ width)`,
    );
  return runOverPlanes(
    'maxUnpool2x2F32',
    outputGradient,
    gradientOffset,
    winners,
    inputGradient,
    planes,
    height,
    width,
    outHeight,
    outWidth,
  );
}

/**
 * Whether the offset and sizes are whole numbers ≥ 0 and outHeight × outWidth full 2x2 windows
 * with stride 2 fit in a height × width plane (the array lengths are each pass's own check).
 */
function windowsFit(
  offset: number,
  planes: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
): boolean {
  return (
    isCount(offset) &&
    isCount(planes) &&
    isCount(height) &&
    isCount(width) &&
    isCount(outHeight) &&
    isCount(outWidth) &&
    2 * outHeight <= height &&
    2 * outWidth <= width
  );
}

/** A whole number ≥ 0 (checked without building an array: the pooling passes run every step). */
function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * Runs `name` on the three arrays (the first from `firstOffset`) when all are in the active
 * kernels' memory, over all `planes`, shared in whole planes by the kernel threads when they run
 * and the pass is large enough; false when it cannot run there.
 */
function runOverPlanes(
  name: 'maxPool2x2F32' | 'maxUnpool2x2F32',
  first: Float32Array,
  firstOffset: number,
  second: Float32Array | Int32Array,
  third: Float32Array | Int32Array,
  planes: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
): boolean {
  const resident = imageKernelsOfActiveBackend();
  if (resident === null) return false;
  const { kernels, memory } = resident;
  // owns() tests the array's buffer, which an Int32Array over the memory shares.
  if (!memory.owns(first) || !memory.owns(second as Float32Array) || !memory.owns(third as Float32Array)) return false;
  const firstAddress = memory.addressOf(first) + 4 * firstOffset;
  const secondAddress = second.byteOffset;
  const thirdAddress = third.byteOffset;
  const split = splitKernel(imageKernelBytes(), name, planes, planes * height * width, (part, start, count) => {
    part.length = 9;
    part[0] = firstAddress;
    part[1] = secondAddress;
    part[2] = thirdAddress;
    part[3] = start;
    part[4] = start + count;
    part[5] = height;
    part[6] = width;
    part[7] = outHeight;
    part[8] = outWidth;
  });
  if (!split) kernels[name](firstAddress, secondAddress, thirdAddress, 0, planes, height, width, outHeight, outWidth);
  return true;
}
