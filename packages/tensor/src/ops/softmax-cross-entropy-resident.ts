import { AnnetError } from '../errors.js';
import { lossKernelsOfActiveBackend } from '../kernels/loss-kernels.js';

/** Passed for "no ignore index": the caller has checked every label is a class in [0, classes). */
const noIgnoreIndex = -2147483648;

/** An int32 view of the staging block, kept with it (a steady-state call allocates nothing). */
let labelView: Int32Array = new Int32Array(0);

function labelWordsOf(staging: Float32Array): Int32Array {
  if (
    labelView.buffer !== staging.buffer ||
    labelView.byteOffset !== staging.byteOffset ||
    labelView.length !== staging.length
  )
    labelView = new Int32Array(staging.buffer, staging.byteOffset, staging.length);
  return labelView;
}

/**
 * Softmax cross-entropy of `rows` rows of `classes` float32 logits against int32 class labels,
 * in WebAssembly SIMD in the kernels' memory: writes gradient_c = scale·(p_c − [c = y]) and
 * returns Σ −log p_y over the rows not labelled `ignoreIndex` (their gradient rows are zeros).
 * Per row: m = max z, e_c = e^(z_c − m) (a float32 exponential within about 1 ulp), s = Σ e_c in
 * float32 lanes, gradient_c = e_c·(scale/s) rounded once, then − scale at the label; −log p_y =
 * m + log s − z_y in float64 (one `Math.log` per row), rounded to float32 as the TypeScript loop
 * rounds it, and summed in float64 in row order. Not bit-identical to a float64 loop (the
 * exponentials and the sums are float32), within a few float32 ulps of it per element.
 *
 * Runs only when the active kernels are WebAssembly on a shared memory and `logits` and
 * `gradient` are resident there (arrays from index 0; `gradient` may be `logits`); then returns
 * the total. Otherwise does nothing and returns null, and the caller runs its own loop. The
 * caller checks the labels: each must be a class in [0, classes) or `ignoreIndex`.
 *
 * @example
 * const total = softmaxCrossEntropyResident(z.data, labels.data, gradient.data, 768, 85, 1 / 768);
 * if (total === null) runTheTypeScriptLoop();
 */
export function softmaxCrossEntropyResident(
  logits: Float32Array,
  labels: Int32Array,
  gradient: Float32Array,
  rows: number,
  classes: number,
  scale: number,
  ignoreIndex?: number,
): number | null {
  const operation = 'softmaxCrossEntropyResident';
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(classes) || rows < 0 || classes < 1)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected rows >= 0 and classes >= 1 (integers), got rows ${rows} and classes ${classes}`,
    );
  if (logits.length < rows * classes || gradient.length < rows * classes || labels.length < rows)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${rows} rows of ${classes} classes do not fit logits of ${logits.length}, gradient of ${gradient.length} and labels of ${labels.length} elements`,
    );
  if (ignoreIndex !== undefined && (ignoreIndex | 0) !== ignoreIndex) return null;
  const resident = lossKernelsOfActiveBackend();
  if (resident === null || !resident.memory.owns(logits) || !resident.memory.owns(gradient)) return null;
  const { kernels, memory } = resident;
  // Labels (one int32 each) then the row statistics (three float32 each), staged resident.
  const staging = resident.staging(4 * rows);
  if (staging === null) return null;
  const labelWords = labelWordsOf(staging);
  for (let row = 0; row < rows; row++) labelWords[row] = labels[row];
  const statisticsOffset = rows;
  const address = memory.addressOf(staging);
  kernels.softmaxCrossEntropyF32(
    memory.addressOf(logits),
    address,
    memory.addressOf(gradient),
    address + 4 * statisticsOffset,
    rows,
    classes,
    Math.fround(scale),
    ignoreIndex ?? noIgnoreIndex,
  );
  let total = 0;
  for (let row = 0, at = statisticsOffset; row < rows; row++, at += 3) {
    if (labels[row] === ignoreIndex) continue;
    total -= Math.fround(staging[at + 2] - (staging[at] + Math.log(staging[at + 1])));
  }
  return total;
}
