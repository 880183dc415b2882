import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { checkSequenceShape } from './sequence-shape.js';

/**
 * Options of {@link SinusoidalPositionalEncoding}.
 *
 * @example
 * const options: SinusoidalPositionalEncodingOptions = { base: 10_000 };
 */
export interface SinusoidalPositionalEncodingOptions extends LayerOptions {
  /** The wavelength base; default 10 000 (as in the paper). */
  readonly base?: number;
}

/**
 * Fixed sinusoidal positions (Vaswani et al., 2017, §3.5): y[b, t, :] = x[b, t, :] + PE[t, :] with
 * PE[t, 2i] = sin(t / base^(2i/E)) and PE[t, 2i+1] = cos(t / base^(2i/E)), E = embeddingSize, over
 * `[batch, time, E]` with time ≤ maxLength. No parameters; backward passes dy through.
 *
 * @example
 * const encoding = new SinusoidalPositionalEncoding(64, 128);
 * encoding.table()[1 * 128 + 0]; // sin(1)
 */
export class SinusoidalPositionalEncoding extends BaseLayer {
  readonly maxLength: number;
  readonly embeddingSize: number;
  readonly base: number;
  private readonly values: Float64Array;

  constructor(maxLength: number, embeddingSize: number, options: SinusoidalPositionalEncodingOptions = {}) {
    super('SinusoidalPositionalEncoding', 'sinusoidal_positional_encoding', options);
    for (const [what, size] of [
      ['maxLength', maxLength],
      ['embeddingSize', embeddingSize],
    ] as const) {
      if (!Number.isSafeInteger(size) || size < 1)
        throw new AnnetError('INVALID_ARGUMENT', this.operation, `${what} must be a positive integer, got ${size}`);
    }
    this.maxLength = maxLength;
    this.embeddingSize = embeddingSize;
    this.base = options.base ?? 10_000;
    if (!(this.base > 0) || !Number.isFinite(this.base))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `base must be a positive number, got ${String(options.base)}`,
      );
    this.values = new Float64Array(maxLength * embeddingSize);
    for (let position = 0; position < maxLength; position++) {
      for (let column = 0; column < embeddingSize; column++) {
        const pair = column - (column % 2);
        const angle = position / this.base ** (pair / embeddingSize);
        this.values[position * embeddingSize + column] = column % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
  }

  /** Rebuilds the layer from {@link SinusoidalPositionalEncoding.getConfig}. */
  static fromConfig(config: LayerConfig): SinusoidalPositionalEncoding {
    return new SinusoidalPositionalEncoding(
      config.maxLength as number,
      config.embeddingSize as number,
      config as SinusoidalPositionalEncodingOptions,
    );
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { maxLength: this.maxLength, embeddingSize: this.embeddingSize, base: this.base };
  }

  /** PE as `[maxLength · embeddingSize]` float64 values, row-major (the layer's own array: do not write). */
  table(): Float64Array {
    return this.values;
  }

  /** y[b, t] = x[b, t] + PE[t]. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    checkSequenceShape(this.operation, input.shape, this.maxLength, this.embeddingSize);
    if (input.dtype !== 'float32' && input.dtype !== 'float64')
      throw new AnnetError('DTYPE_MISMATCH', this.operation, `expected a float32 or float64 input, got ${input.dtype}`);
    const x = contiguousInput(input);
    const output = this.workspace.buffer('output', input.dtype, x.shape);
    const source = floatData(x);
    const target = floatData(output);
    const rowLength = x.shape[1] * this.embeddingSize;
    for (let sample = 0; sample < x.shape[0]; sample++) {
      const base = sample * rowLength;
      for (let index = 0; index < rowLength; index++)
        target[base + index] = source[x.offset + base + index] + this.values[index];
    }
    this.recordForward(x, options);
    return output;
  }

  /** dx = dy. */
  backward(outputGradient: Tensor): Tensor {
    const output = this.workspace.current('output');
    this.checkBackward(outputGradient, output?.shape ?? [], output?.dtype ?? this.dtype);
    return outputGradient;
  }

  /** The same shape as the input. */
  outputShape(inputShape: readonly number[]): number[] {
    checkSequenceShape(this.operation, inputShape, this.maxLength, this.embeddingSize);
    return inputShape.slice();
  }
}
