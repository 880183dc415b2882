import type { Rng } from '@annet/tensor';
import type { FloatData } from '../buffers.js';

/** The random words of the last mask, grown to the largest mask drawn (one word per element). */
let words = new Uint32Array(0);

/**
 * The inverted-dropout mask and its product, for i < size: mask[i] = scale when the i-th next
 * draw of `rng` keeps the element (`rng.uniform() < keep`), else 0, and
 * output[i] = input[inputOffset + i] · mask[i]. The same decisions as calling `rng.uniform()` once
 * per element, from bulk draws: uniform() is n·2⁻³² for the next 32-bit word n, so u < keep exactly
 * when n < keep·2³² (a scaling by a power of two, exact). Measured on the Dropout layer's forward
 * over [32, 20, 128] float32 (the LSTM tagger's shape, rate 0.25; best of 500): 0.85 ms with a
 * `uniform()` call per element, 0.52 ms with bulk draws and a branch, 0.31 ms with bulk draws and
 * no branch.
 *
 * @example
 * dropWithMask(rng, 0.75, x.data, x.offset, mask.data, y.data, x.size); // rate 0.25
 */
export function dropWithMask(
  rng: Rng,
  keep: number,
  input: FloatData,
  inputOffset: number,
  mask: FloatData,
  output: FloatData,
  size: number,
): void {
  const scale = 1 / keep;
  const threshold = keep * 4294967296;
  if (words.length < size) words = new Uint32Array(size);
  rng.fillUint32(words, size);
  for (let index = 0; index < size; index++) {
    // Branch-free (the decision is random, so a branch mispredicts a quarter of the time at rate
    // 0.25): 1·scale or 0·scale = +0, the two factors the branch gave.
    const factor = +(words[index] < threshold) * scale;
    mask[index] = factor;
    output[index] = input[inputOffset + index] * factor;
  }
}
