import type { LayerConfig } from '@annet/layer-api';
import type { FloatData } from '../buffers.js';
import type { PairOption, WindowGeometry } from './geometry.js';
import { Pool2D, type Pool2DOptions } from './pool2d.js';

/**
 * Average pooling over NCHW windows: y = (1/k) Σ window, with k the number of non-padded
 * positions in the window (Keras; PyTorch's `count_include_pad=False`); each input of the window
 * receives dy/k.
 *
 * @example
 * new AvgPool2D(2).forward(zeros([8, 3, 28, 28])).shape; // [8, 3, 14, 14]
 */
export class AvgPool2D extends Pool2D {
  constructor(poolSize: PairOption, options: Pool2DOptions = {}) {
    super('AvgPool2D', 'avg_pool2d', poolSize, options);
  }

  /** Rebuilds an AvgPool2D from {@link AvgPool2D.getConfig}. */
  static fromConfig(config: LayerConfig): AvgPool2D {
    return new AvgPool2D(config.poolSize as PairOption, config as Pool2DOptions);
  }

  protected pool(input: FloatData, inputOffset: number, output: FloatData, planes: number, height: number, width: number, geometry: WindowGeometry): void {
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
          output[out++] = sum / ((rowEnd[row] - rowStart[row]) * (columnEnd[column] - columnStart[column]));
        }
      }
    }
  }

  protected unpool(_input: FloatData, _inputOffset: number, outputGradient: FloatData, gradientOffset: number, inputGradient: FloatData, planes: number, height: number, width: number, geometry: WindowGeometry): void {
    const { rowStart, rowEnd, columnStart, columnEnd } = this.windows;
    let out = 0;
    for (let plane = 0; plane < planes; plane++) {
      const planeStart = plane * height * width;
      for (let row = 0; row < geometry.outputHeight; row++) {
        for (let column = 0; column < geometry.outputWidth; column++) {
          const share = outputGradient[gradientOffset + out++] / ((rowEnd[row] - rowStart[row]) * (columnEnd[column] - columnStart[column]));
          for (let y = rowStart[row]; y < rowEnd[row]; y++) {
            for (let x = columnStart[column]; x < columnEnd[column]; x++) inputGradient[planeStart + y * width + x] += share;
          }
        }
      }
    }
  }
}
