import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import type { FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';
import { erf } from './erf.js';

/**
 * Options of {@link GELU}.
 *
 * @example
 * const options: GELUOptions = { approximate: 'tanh' };
 */
export interface GELUOptions extends LayerOptions {
  /** `'none'` (default, exact, as PyTorch) or `'tanh'` (the cheaper approximation of GPT-2). */
  readonly approximate?: 'none' | 'tanh';
}

const inverseSqrtTwo = Math.SQRT1_2;
const inverseSqrtTwoPi = 0.3989422804014327;
const sqrtTwoOverPi = 0.7978845608028654;
const cubicCoefficient = 0.044715;

/**
 * Gaussian error linear unit (Hendrycks and Gimpel, 2016, https://arxiv.org/abs/1606.08415).
 *
 * Exact: y = x·Φ(x) with Φ(x) = ½(1 + erf(x/√2)); dy/dx = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
 * Tanh: y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³);
 * dy/dx = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²).
 *
 * @example
 * new GELU().forward(tensor([[1]])); // [[0.8413…]]
 */
export class GELU extends ElementwiseActivation {
  /** Which formula is used. */
  readonly approximate: 'none' | 'tanh';

  constructor(options: GELUOptions = {}) {
    super('GELU', 'gelu', options);
    const approximate = options.approximate ?? 'none';
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`,
      );
    }
    this.approximate = approximate;
  }

  /** Rebuilds a GELU from {@link GELU.getConfig}. */
  static fromConfig(config: LayerConfig): GELU {
    return new GELU(config as GELUOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { approximate: this.approximate };
  }

  protected activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void {
    if (this.approximate === 'tanh') {
      for (let index = 0; index < size; index++) {
        const x = input[inputOffset + index];
        output[index] = 0.5 * x * (1 + Math.tanh(sqrtTwoOverPi * (x + cubicCoefficient * x * x * x)));
      }
      return;
    }
    for (let index = 0; index < size; index++) {
      const x = input[inputOffset + index];
      output[index] = 0.5 * x * (1 + erf(x * inverseSqrtTwo));
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
    if (this.approximate === 'tanh') {
      for (let index = 0; index < size; index++) {
        const x = input[inputOffset + index];
        const t = Math.tanh(sqrtTwoOverPi * (x + cubicCoefficient * x * x * x));
        const slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * sqrtTwoOverPi * (1 + 3 * cubicCoefficient * x * x);
        inputGradient[index] = slope * outputGradient[gradientOffset + index];
      }
      return;
    }
    for (let index = 0; index < size; index++) {
      const x = input[inputOffset + index];
      const slope = 0.5 * (1 + erf(x * inverseSqrtTwo)) + x * inverseSqrtTwoPi * Math.exp(-0.5 * x * x);
      inputGradient[index] = slope * outputGradient[gradientOffset + index];
    }
  }
}
