import type { LayerConfig } from '@annet/layer-api';
import { reluBackwardResident, reluResident } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import type { FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';

/**
 * Rectified linear unit: y = max(0, x), dy/dx = 1 for x > 0 and 0 otherwise (0 at x = 0, as in
 * PyTorch). NaN propagates, as in PyTorch and the tensor op `relu`: a NaN input gives a NaN output,
 * and dx = dy·[x > 0] (so a non-finite dy where x ≤ 0 gives NaN, not 0).
 *
 * @example
 * const relu = new ReLU();
 * relu.forward(tensor([[-1, 2]])); // [[0, 2]]
 */
export class ReLU extends ElementwiseActivation {
  constructor(options: LayerOptions = {}) {
    super('ReLU', 'relu', options);
  }

  /** Rebuilds a ReLU from {@link ReLU.getConfig}. */
  static fromConfig(config: LayerConfig): ReLU {
    return new ReLU(config as LayerOptions);
  }

  // Both loops are branch-free: with inputs of random sign a `value > 0 ? value : 0` branch is
  // mispredicted half the time, which made these loops about 2-3x slower on real activations.
  // x·[x > 0] + 0 is exact for finite x (the + 0 turns −0 into +0) but NaN for −Infinity; the
  // rare NaN results take the almost-never-mispredicted second test, which keeps NaN and maps
  // −Infinity to 0. (Math.max compiles to compare-and-branch code, no faster than the ternary.)
  protected activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void {
    // WebAssembly SIMD on resident float32 arrays, the same bits (measured on the demo ResNet's
    // first ReLU, 64×16×28×28: 1.47 ms in this loop).
    if (
      input instanceof Float32Array &&
      output instanceof Float32Array &&
      reluResident(input, inputOffset, output, size)
    )
      return;
    for (let index = 0; index < size; index++) {
      const value = input[inputOffset + index];
      const result = value * +(value > 0) + 0;
      output[index] = result === result ? result : value !== value ? value : 0;
    }
  }

  // dy·[x > 0] + 0: the `+ 0` turns the −0 of a negative dy times 0 into +0.
  protected differentiate(
    input: FloatData,
    inputOffset: number,
    _output: FloatData,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    size: number,
  ): void {
    if (
      input instanceof Float32Array &&
      outputGradient instanceof Float32Array &&
      inputGradient instanceof Float32Array &&
      reluBackwardResident(input, inputOffset, outputGradient, gradientOffset, inputGradient, size)
    )
      return;
    for (let index = 0; index < size; index++) {
      inputGradient[index] = outputGradient[gradientOffset + index] * +(input[inputOffset + index] > 0) + 0;
    }
  }
}
