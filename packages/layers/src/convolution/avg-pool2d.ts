import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import type { FloatData } from '../buffers.js';
import type { PairOption, WindowGeometry } from './geometry.js';
import { Pool2D, type Pool2DOptions } from './pool2d.js';

/**
 * Options of {@link AvgPool2D}.
 *
 * @example
 * new AvgPool2D(3, { stride: 1, padding: 1, countPadding: true }); // PyTorch's AvgPool2d(3, 1, 1)
 */
export interface AvgPool2DOptions extends Pool2DOptions {
  /**
   * Whether padded positions count in a window's average (PyTorch's `count_include_pad`): `true`
   * divides every window by kH·kW, as if the padding were zeros; `false` (default) divides by
   * the number of input positions in the window, as Keras, TensorFlow and tfjs do. PyTorch's
   * default is `true`: pass `countPadding: true` to match `nn.AvgPool2d(k, s, p)`. Without
   * padding both agree.
   */
  readonly countPadding?: boolean;
}

/**
 * Average pooling over NCHW windows: y = (1/k) Σ window, with k the number of non-padded
 * positions in the window (Keras; PyTorch's `count_include_pad=False`), or k = kH·kW with
 * `countPadding: true` (PyTorch's default); each input of the window receives dy/k.
 *
 * @example
 * new AvgPool2D(2).forward(zeros([8, 3, 28, 28])).shape; // [8, 3, 14, 14]
 */
export class AvgPool2D extends Pool2D {
  /** Whether padded positions count in the average (see {@link AvgPool2DOptions.countPadding}). */
  readonly countPadding: boolean;

  constructor(poolSize: PairOption, options: AvgPool2DOptions = {}) {
    super('AvgPool2D', 'avg_pool2d', poolSize, options);
    const countPadding = options.countPadding ?? false;
    if (typeof countPadding !== 'boolean') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `countPadding must be true or false, got ${JSON.stringify(countPadding)}`,
      );
    }
    this.countPadding = countPadding;
  }

  /** Rebuilds an AvgPool2D from {@link AvgPool2D.getConfig}. */
  static fromConfig(config: LayerConfig): AvgPool2D {
    return new AvgPool2D(config.poolSize as PairOption, config as AvgPool2DOptions);
  }

  /** Records `countPadding` only when true, so configs saved before the option load unchanged. */
  protected override configEntries(): Record<string, JsonValue> {
    return this.countPadding ? { ...super.configEntries(), countPadding: true } : super.configEntries();
  }

  /** The divisor of a window: kH·kW when padding counts, else its rows × columns inside the input. */
  private windowCount(rows: number, columns: number, geometry: WindowGeometry): number {
    return this.countPadding ? geometry.kernelHeight * geometry.kernelWidth : rows * columns;
  }

  protected pool(
    input: FloatData,
    inputOffset: number,
    output: FloatData,
    planes: number,
    height: number,
    width: number,
    geometry: WindowGeometry,
  ): void {
    const { rowStart, rowEnd, columnStart, columnEnd } = this.windows;
    let out = 0;
    for (let plane = 0; plane < planes; plane++) {
      const planeStart = inputOffset + plane * height * width;
      for (let row = 0; row < geometry.outputHeight; row++) {
        for (let column = 0; column < geometry.outputWidth; column++) {
          let sum = 0;
          for (let y = rowStart[row]; y < rowEnd[row]; y++) {
            for (let x = columnStart[column]; x < columnEnd[column]; x++) sum += input[planeStart + y * width + x];
          }
          output[out++] =
            sum / this.windowCount(rowEnd[row] - rowStart[row], columnEnd[column] - columnStart[column], geometry);
        }
      }
    }
  }

  protected unpool(
    _input: FloatData,
    _inputOffset: number,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    planes: number,
    height: number,
    width: number,
    geometry: WindowGeometry,
  ): void {
    const { rowStart, rowEnd, columnStart, columnEnd } = this.windows;
    let out = 0;
    for (let plane = 0; plane < planes; plane++) {
      const planeStart = plane * height * width;
      for (let row = 0; row < geometry.outputHeight; row++) {
        for (let column = 0; column < geometry.outputWidth; column++) {
          const share =
            outputGradient[gradientOffset + out++] /
            this.windowCount(rowEnd[row] - rowStart[row], columnEnd[column] - columnStart[column], geometry);
          for (let y = rowStart[row]; y < rowEnd[row]; y++) {
            for (let x = columnStart[column]; x < columnEnd[column]; x++)
              inputGradient[planeStart + y * width + x] += share;
          }
        }
      }
    }
  }
}
