import { multiplyResident, type Tensor } from '@annet/tensor';
import { BaseLayer } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { requireFloatInput } from '../layer-errors.js';

/**
 * The base of activations applied element by element (ReLU, Sigmoid, ...). A subclass writes two
 * loops, `activate` and `differentiate`, side by side; this class handles shapes, buffers and
 * the backward checks. Works in the input's dtype (float32 or float64); any shape.
 *
 * @example
 * class Square extends ElementwiseActivation {
 *   constructor() { super('Square', 'square'); }
 *   protected activate(x, xOffset, y, size) { for (let i = 0; i < size; i++) y[i] = x[xOffset + i] ** 2; }
 *   protected differentiate(x, xOffset, _y, dy, dyOffset, dx, size) { for (let i = 0; i < size; i++) dx[i] = 2 * x[xOffset + i] * dy[dyOffset + i]; }
 * }
 */
export abstract class ElementwiseActivation extends BaseLayer {
  /** Whether the `slope` buffer holds f′ of the last forward's input (a training forward through {@link ElementwiseActivation.activateWithSlope}). */
  private slopeHoldsLastInput = false;

  /**
   * y = f(x), element by element; the returned tensor is reused by the next call. A training
   * forward of an activation with {@link ElementwiseActivation.activateWithSlope} also keeps f′(x).
   */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    requireFloatInput(this.operation, input);
    const x = contiguousInput(input);
    const dtype = x.dtype as 'float32' | 'float64';
    const output = this.workspace.buffer('output', dtype, x.shape);
    this.slopeHoldsLastInput = options?.training === true && this.activateWithSlope !== undefined;
    if (this.slopeHoldsLastInput) {
      const slope = this.workspace.buffer('slope', dtype, x.shape);
      this.activateWithSlope!(floatData(x), x.offset, floatData(output), floatData(slope), x.size);
    } else {
      this.activate(floatData(x), x.offset, floatData(output), x.size);
    }
    this.recordForward(x, options);
    return output;
  }

  /** dx = f′(x) ⊙ dy (f′ kept by a training forward, or computed here); the returned tensor is reused by the next call. */
  backward(outputGradient: Tensor): Tensor {
    const output = this.workspace.current('output');
    const x = this.checkBackwardAgainst(outputGradient, output);
    const gradient = contiguousInput(outputGradient);
    const inputGradient = this.workspace.buffer('inputGradient', x.dtype as 'float32' | 'float64', x.shape);
    if (this.slopeHoldsLastInput) {
      const slope = floatData(this.workspace.current('slope')!);
      const dy = floatData(gradient);
      const dx = floatData(inputGradient);
      const resident =
        slope instanceof Float32Array &&
        gradient.offset === 0 &&
        multiplyResident(slope, dy as Float32Array, dx as Float32Array, x.size);
      if (!resident) multiplyInto(slope, dy, gradient.offset, dx, x.size);
      return inputGradient;
    }
    this.differentiate(
      floatData(x),
      x.offset,
      floatData(output as Tensor),
      floatData(gradient),
      gradient.offset,
      floatData(inputGradient),
      x.size,
    );
    return inputGradient;
  }

  /** The same shape as the input. */
  outputShape(inputShape: readonly number[]): number[] {
    return inputShape.slice();
  }

  /** Writes `output[i] = f(input[inputOffset + i])` for `i < size`. */
  protected abstract activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void;

  /**
   * Optional: writes `output[i] = f(input[inputOffset + i])` and `slope[i] = f′(input[inputOffset + i])`
   * in one pass, for activations whose derivative costs about as much as the value (GELU): a
   * training forward calls it instead of `activate`, and backward only multiplies.
   */
  protected activateWithSlope?(
    input: FloatData,
    inputOffset: number,
    output: FloatData,
    slope: FloatData,
    size: number,
  ): void;

  /**
   * Writes `inputGradient[i] = f′(input[inputOffset + i]) · outputGradient[gradientOffset + i]`;
   * `output` holds f(input) from the forward pass, for activations whose derivative uses it.
   */
  protected abstract differentiate(
    input: FloatData,
    inputOffset: number,
    output: FloatData,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    size: number,
  ): void;
}

/** out[i] = slope[i] · gradient[gradientOffset + i] for i < size. */
function multiplyInto(
  slope: FloatData,
  gradient: FloatData,
  gradientOffset: number,
  out: FloatData,
  size: number,
): void {
  for (let index = 0; index < size; index++) out[index] = slope[index] * gradient[gradientOffset + index];
}
