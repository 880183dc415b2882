import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import type { FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';

/**
 * Options of {@link LeakyReLU}.
 *
 * @example
 * const options: LeakyReLUOptions = { negativeSlope: 0.2 };
 */
export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for x < 0; default 0.01 as in PyTorch (Keras uses 0.3). */
  readonly negativeSlope?: number;
}

/**
 * Leaky ReLU: y = x for x > 0, y = slope·x otherwise; dy/dx = 1 or slope.
 *
 * @example
 * new LeakyReLU({ negativeSlope: 0.1 }).forward(tensor([[-2, 3]])); // [[-0.2, 3]]
 */
export class LeakyReLU extends ElementwiseActivation {
  /** Slope for negative inputs. */
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super('LeakyReLU', 'leaky_relu', options);
    const slope = options.negativeSlope ?? 0.01;
    if (!Number.isFinite(slope)) {
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `negativeSlope must be a finite number, got ${slope}`);
    }
    this.negativeSlope = slope;
  }

  /** Rebuilds a LeakyReLU from {@link LeakyReLU.getConfig}. */
  static fromConfig(config: LayerConfig): LeakyReLU {
    return new LeakyReLU(config as LeakyReLUOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { negativeSlope: this.negativeSlope };
  }

  protected activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void {
    const slope = this.negativeSlope;
    for (let index = 0; index < size; index++) {
      const value = input[inputOffset + index];
      output[index] = value > 0 ? value : slope * value;
    }
  }

  protected differentiate(
    input: FloatData,
    inputOffset: number,
    _output: FloatData,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    size: number,
  ): void {
    const slope = this.negativeSlope;
    for (let index = 0; index < size; index++) {
      const gradient = outputGradient[gradientOffset + index];
      inputGradient[index] = input[inputOffset + index] > 0 ? gradient : slope * gradient;
    }
  }
}
