import type { LayerConfig } from '@annet/layer-api';
import { maxPool2x2Resident, maxUnpool2x2Resident } from '@annet/tensor';
import type { FloatData } from '../buffers.js';
import type { PairOption, WindowGeometry } from './geometry.js';
import { isFull2x2, maxPool2x2 } from './max-pool-2x2.js';
import { Pool2D, type Pool2DOptions } from './pool2d.js';

/**
 * Max pooling over NCHW windows: y = max of the window; the gradient goes to the position that
 * won (the first one on a tie, as in PyTorch), every other input gets 0. The winning position of
 * each window is recorded in the forward pass, so the backward pass is one scatter; full 2x2
 * windows with stride 2 (the usual `new MaxPool2D(2)`) take a loop without per-window bounds.
 *
 * @example
 * new MaxPool2D(2).forward(zeros([8, 3, 28, 28])).shape; // [8, 3, 14, 14]
 */
export class MaxPool2D extends Pool2D {
  constructor(poolSize: PairOption, options: Pool2DOptions = {}) {
    super('MaxPool2D', 'max_pool2d', poolSize, options);
  }

  /** Rebuilds a MaxPool2D from {@link MaxPool2D.getConfig}. */
  static fromConfig(config: LayerConfig): MaxPool2D {
    return new MaxPool2D(config.poolSize as PairOption, config as Pool2DOptions);
  }

  /** The int32 view of the {@link MaxPool2D.winners} block, remade only when the block changes. */
  private winnerView: Int32Array | undefined;

  /**
   * The input position that won each window of the last forward, one per output element: an int32
   * view of a workspace buffer, so that it lives in the kernels' memory when they have one (the
   * WebAssembly pooling writes it in place) and the workspace keeps the block alive.
   */
  private winners(planes: number, geometry: WindowGeometry): Int32Array {
    const length = planes * geometry.outputHeight * geometry.outputWidth;
    const block = this.workspace.buffer('winners', 'float32', [length]).data as Float32Array;
    const view = this.winnerView;
    if (
      view === undefined ||
      view.buffer !== block.buffer ||
      view.byteOffset !== block.byteOffset ||
      view.length !== length
    )
      this.winnerView = new Int32Array(block.buffer, block.byteOffset, length);
    return this.winnerView!;
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
    const winners = this.winners(planes, geometry);
    if (isFull2x2(geometry, height, width)) {
      const { outputHeight, outputWidth } = geometry;
      // In WebAssembly SIMD when the arrays are in the kernels' memory (the same numbers, tested).
      if (
        input instanceof Float32Array &&
        output instanceof Float32Array &&
        maxPool2x2Resident(input, inputOffset, output, winners, planes, height, width, outputHeight, outputWidth)
      )
        return;
      maxPool2x2(
        input,
        inputOffset,
        output,
        winners,
        planes,
        height,
        width,
        geometry.outputHeight,
        geometry.outputWidth,
      );
      return;
    }
    const { rowStart, rowEnd, columnStart, columnEnd } = this.windows;
    let out = 0;
    for (let plane = 0; plane < planes; plane++) {
      const planeStart = plane * height * width;
      for (let row = 0; row < geometry.outputHeight; row++) {
        for (let column = 0; column < geometry.outputWidth; column++) {
          let best = -Infinity;
          let winner = planeStart + rowStart[row] * width + columnStart[column];
          for (let y = rowStart[row]; y < rowEnd[row]; y++) {
            for (let x = columnStart[column]; x < columnEnd[column]; x++) {
              const position = planeStart + y * width + x;
              const value = input[inputOffset + position];
              if (value > best) {
                best = value;
                winner = position;
              }
            }
          }
          output[out] = best;
          winners[out] = winner;
          out++;
        }
      }
    }
  }

  /** A full-2x2 pass whose arrays are in the kernels' memory writes the whole gradient in WebAssembly (no zero fill first). */
  protected override writeInputGradient(
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    planes: number,
    height: number,
    width: number,
    geometry: WindowGeometry,
  ): boolean {
    return (
      isFull2x2(geometry, height, width) &&
      outputGradient instanceof Float32Array &&
      inputGradient instanceof Float32Array &&
      maxUnpool2x2Resident(
        outputGradient,
        gradientOffset,
        this.winners(planes, geometry),
        inputGradient,
        planes,
        height,
        width,
        geometry.outputHeight,
        geometry.outputWidth,
      )
    );
  }

  protected unpool(
    _input: FloatData,
    _inputOffset: number,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    planes: number,
    _height: number,
    _width: number,
    geometry: WindowGeometry,
  ): void {
    const outputsPerPlane = geometry.outputHeight * geometry.outputWidth;
    const winners = this.winners(planes, geometry);
    for (let out = 0; out < planes * outputsPerPlane; out++)
      inputGradient[winners[out]] += outputGradient[gradientOffset + out];
  }
}
