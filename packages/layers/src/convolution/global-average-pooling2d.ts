import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { inputShapeError, requireFloatInput } from '../layer-errors.js';

/**
 * Mean of every channel over its whole plane: [N, C, H, W] → [N, C], y[n, c] = (1/HW) Σ_{h,w}
 * x[n, c, h, w], so each position receives dy[n, c] / HW. The usual head of a residual CNN
 * (Keras `GlobalAveragePooling2D`, PyTorch `AdaptiveAvgPool2d(1)` then `flatten`).
 *
 * @example
 * new GlobalAveragePooling2D().forward(zeros([8, 32, 7, 7])).shape; // [8, 32]
 */
export class GlobalAveragePooling2D extends BaseLayer {
  private output: Tensor | undefined;

  constructor(options: LayerOptions = {}) {
    super('GlobalAveragePooling2D', 'global_average_pooling2d', options);
  }

  /** Rebuilds a GlobalAveragePooling2D from {@link GlobalAveragePooling2D.getConfig}. */
  static fromConfig(config: LayerConfig): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(config as LayerOptions);
  }

  /** [N, C, H, W] → [N, C]. */
  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 4) throw inputShapeError(this.operation, '[N, C, H, W]', inputShape);
    return [inputShape[0], inputShape[1]];
  }

  /** y[n, c] = mean of x[n, c, :, :]. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    requireFloatInput(this.operation, input);
    const [batch, channels, height, width] = this.outputShapeOf(input);
    const x = contiguousInput(input);
    const output = this.workspace.buffer('output', x.dtype as 'float32' | 'float64', [batch, channels]);
    this.output = output;
    const source = floatData(x);
    const target = floatData(output);
    const plane = height * width;
    for (let index = 0; index < batch * channels; index++) {
      const start = x.offset + index * plane;
      let sum = 0;
      for (let position = 0; position < plane; position++) sum += source[start + position];
      target[index] = sum / plane;
    }
    this.recordForward(input, options);
    return output;
  }

  /** dx[n, c, h, w] = dy[n, c] / HW. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): Tensor {
    const input = this.checkBackwardAgainst(outputGradient, this.output);
    const [, , height, width] = input.shape;
    const gradient = contiguousInput(outputGradient);
    const inputGradient = this.workspace.buffer('inputGradient', gradient.dtype as 'float32' | 'float64', input.shape);
    const source = floatData(gradient);
    const target = floatData(inputGradient);
    const plane = height * width;
    for (let index = 0; index < gradient.size; index++) {
      const share = source[gradient.offset + index] / plane;
      target.fill(share, index * plane, (index + 1) * plane);
    }
    return inputGradient;
  }

  private outputShapeOf(input: Tensor): readonly number[] {
    this.outputShape(input.shape);
    return input.shape;
  }
}
