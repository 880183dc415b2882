import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, geluTanhResident } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { floatData, type FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';
import { erf } from './erf.js';
import { geluTanhExact, geluTanhFloat32 } from './gelu-tanh.js';

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

/**
 * Gaussian error linear unit (Hendrycks and Gimpel, 2016, https://arxiv.org/abs/1606.08415).
 *
 * Exact: y = x·Φ(x) with Φ(x) = ½(1 + erf(x/√2)); dy/dx = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
 * Tanh: y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³);
 * dy/dx = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²). In float32 the tanh form
 * uses a rational tanh accurate to float32: in WebAssembly SIMD on resident buffers
 * (`geluTanhResident` of @annet/tensor), else {@link geluTanhFloat32}; float64 uses `Math.tanh`.
 * A training forward keeps dy/dx, so backward is one multiplication per element.
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
      this.tanhForm(input, inputOffset, output, null, size);
      return;
    }
    for (let index = 0; index < size; index++) {
      const x = input[inputOffset + index];
      output[index] = 0.5 * x * (1 + erf(x * inverseSqrtTwo));
    }
  }

  protected override activateWithSlope(
    input: FloatData,
    inputOffset: number,
    output: FloatData,
    slope: FloatData,
    size: number,
  ): void {
    if (this.approximate === 'tanh') {
      this.tanhForm(input, inputOffset, output, slope, size);
      return;
    }
    for (let index = 0; index < size; index++) {
      const x = input[inputOffset + index];
      const phi = 0.5 * (1 + erf(x * inverseSqrtTwo));
      output[index] = x * phi;
      slope[index] = phi + x * inverseSqrtTwoPi * Math.exp(-0.5 * x * x);
    }
  }

  private tanhForm(
    input: FloatData,
    inputOffset: number,
    output: FloatData,
    slope: FloatData | null,
    size: number,
  ): void {
    if (input instanceof Float32Array) {
      const y = output as Float32Array;
      const dydx = slope as Float32Array | null;
      if (!geluTanhResident(input, inputOffset, y, dydx, size)) geluTanhFloat32(input, inputOffset, y, dydx, size);
    } else {
      geluTanhExact(input, inputOffset, output, slope, size);
    }
  }

  protected differentiate(
    input: FloatData,
    inputOffset: number,
    output: FloatData,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    size: number,
  ): void {
    // After an inference forward: the same pass as a training forward (rewriting the same
    // output values), so both give identical gradients.
    const dtype = input instanceof Float32Array ? 'float32' : 'float64';
    const slope = floatData(this.workspace.buffer('recomputedSlope', dtype, [size]));
    this.activateWithSlope(input, inputOffset, output, slope, size);
    for (let index = 0; index < size; index++)
      inputGradient[index] = slope[index] * outputGradient[gradientOffset + index];
  }
}
