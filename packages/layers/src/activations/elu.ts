import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import type { FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';

/**
 * Options of {@link ELU}.
 *
 * @example
 * const options: ELUOptions = { alpha: 1 };
 */
export interface ELUOptions extends LayerOptions {
  /** Scale of the negative part; default 1. */
  readonly alpha?: number;
}

/**
 * Exponential linear unit (Clevert et al., 2015, https://arxiv.org/abs/1511.07289):
 * y = x for x > 0, y = α(eˣ − 1) otherwise; dy/dx = 1, or αeˣ = y + α.
 *
 * @example
 * new ELU().forward(tensor([[-1, 2]])); // [[-0.632…, 2]]
 */
export class ELU extends ElementwiseActivation {
  /** Scale of the negative part. */
  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super('ELU', 'elu', options);
    const alpha = options.alpha ?? 1;
    if (!Number.isFinite(alpha)) {
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `alpha must be a finite number, got ${alpha}`);
    }
    this.alpha = alpha;
  }

  /** Rebuilds an ELU from {@link ELU.getConfig}. */
  static fromConfig(config: LayerConfig): ELU {
    return new ELU(config as ELUOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { alpha: this.alpha };
  }

  protected activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void {
    const alpha = this.alpha;
    for (let index = 0; index < size; index++) {
      const value = input[inputOffset + index];
      output[index] = value > 0 ? value : alpha * Math.expm1(value);
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
    const alpha = this.alpha;
    for (let index = 0; index < size; index++) {
      const value = input[inputOffset + index];
      // Recomputed from x rather than y + α, so float32 outputs do not round the derivative.
      const slope = value > 0 ? 1 : alpha * Math.exp(value);
      inputGradient[index] = slope * outputGradient[gradientOffset + index];
    }
  }
}
