import type { JsonValue } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { inputShapeError, requireFloatInput } from '../layer-errors.js';
import {
  pairConfig,
  readPadding,
  readPair,
  windowGeometry,
  type Padding,
  type PairOption,
  type WindowGeometry,
} from './geometry.js';

/**
 * Options of {@link MaxPool2D} and {@link AvgPool2D}.
 *
 * @example
 * const options: Pool2DOptions = { stride: 1, padding: 'same' };
 */
export interface Pool2DOptions extends LayerOptions {
  /** Step between windows; default the pool size (non-overlapping windows). */
  readonly stride?: PairOption;
  /** `'valid'` (default), `'same'`, or explicit padding of at most half the window. */
  readonly padding?: Padding;
}

/**
 * The shared part of the 2-D pooling layers on NCHW input: options, shapes and buffers. Padded
 * positions never win a max and are not counted in an average (unless AvgPool2D's `countPadding`).
 *
 * @example
 * abstract class MinPool2D extends Pool2D {} // a concrete subclass implements pool() and unpool()
 */
export abstract class Pool2D extends BaseLayer {
  /** Window size `[height, width]`. */
  readonly poolSize: readonly [number, number];
  /** Step between windows `[height, width]`. */
  readonly stride: readonly [number, number];
  /** The padding option. */
  readonly padding: Padding;
  /** Geometry of the last input. */
  protected geometry: WindowGeometry | undefined;
  /** Each window's clipped input rows and columns for {@link Pool2D.geometry} (padding excluded). */
  protected windows: WindowBounds = emptyBounds;
  private geometryHeight = -1;
  private geometryWidth = -1;

  protected constructor(className: string, defaultName: string, poolSize: PairOption, options: Pool2DOptions) {
    super(className, defaultName, options);
    this.poolSize = readPair(this.operation, 'poolSize', poolSize);
    this.stride = readPair(this.operation, 'stride', options.stride ?? poolSize);
    this.padding = readPadding(this.operation, options.padding ?? 'valid');
    if (typeof this.padding !== 'string') {
      const [padHeight, padWidth] = typeof this.padding === 'number' ? [this.padding, this.padding] : this.padding;
      if (2 * padHeight > this.poolSize[0] || 2 * padWidth > this.poolSize[1]) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          this.operation,
          `padding ${JSON.stringify(this.padding)} must be at most half the pool size ${JSON.stringify(this.poolSize)}`,
        );
      }
    }
  }

  protected override configEntries(): Record<string, JsonValue> {
    const padding =
      typeof this.padding === 'string' || typeof this.padding === 'number'
        ? this.padding
        : [this.padding[0], this.padding[1]];
    return { poolSize: pairConfig(this.poolSize), stride: pairConfig(this.stride), padding };
  }

  /** Pools every channel of [N, C, H, W] into [N, C, H′, W′]. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    if (input.shape.length !== 4) throw inputShapeError(this.operation, '[N,C,H,W]', input.shape);
    requireFloatInput(this.operation, input);
    const x = contiguousInput(input);
    const geometry = this.geometryFor(x.shape[2], x.shape[3]);
    const batchSize = x.shape[0];
    const channels = x.shape[1];
    const output = this.workspace.output(x.dtype as 'float32' | 'float64', x.shape);
    this.pool(floatData(x), x.offset, floatData(output), batchSize * channels, x.shape[2], x.shape[3], geometry);
    this.recordForward(x, options);
    return output;
  }

  /** Routes each output gradient back to the inputs of its window. */
  backward(outputGradient: Tensor): Tensor {
    const x = this.checkBackwardAgainst(outputGradient, this.workspace.current('output'));
    const gradient = contiguousInput(outputGradient);
    const inputGradient = this.workspace.buffer('inputGradient', x.dtype as 'float32' | 'float64', x.shape);
    const dx = floatData(inputGradient);
    const planes = x.shape[0] * x.shape[1];
    const geometry = this.geometry as WindowGeometry;
    const dy = floatData(gradient);
    if (this.writeInputGradient(dy, gradient.offset, dx, planes, x.shape[2], x.shape[3], geometry))
      return inputGradient;
    dx.fill(0);
    this.unpool(floatData(x), x.offset, dy, gradient.offset, dx, planes, x.shape[2], x.shape[3], geometry);
    return inputGradient;
  }

  /** [N, C, H, W] → [N, C, H′, W′]. */
  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 4) throw inputShapeError(this.operation, '[N,C,H,W]', inputShape);
    const geometry = windowGeometry(
      this.operation,
      inputShape[2],
      inputShape[3],
      this.poolSize,
      this.stride,
      [1, 1],
      this.padding,
    );
    return [inputShape[0], inputShape[1], geometry.outputHeight, geometry.outputWidth];
  }

  /** Writes every window's pooled value; `planes` = N·C images of `height × width`; per-window scratch goes in `this.workspace`. */
  protected abstract pool(
    input: FloatData,
    inputOffset: number,
    output: FloatData,
    planes: number,
    height: number,
    width: number,
    geometry: WindowGeometry,
  ): void;

  /**
   * Writes all of `inputGradient` itself when the subclass has a pass for this case that needs no
   * zero fill first (then returns true); by default returns false and the caller zeroes the
   * gradient and calls {@link Pool2D.unpool}.
   */
  protected writeInputGradient(
    _outputGradient: FloatData,
    _gradientOffset: number,
    _inputGradient: FloatData,
    _planes: number,
    _height: number,
    _width: number,
    _geometry: WindowGeometry,
  ): boolean {
    return false;
  }

  /** Adds every output gradient into `inputGradient` (zeroed by the caller). */
  protected abstract unpool(
    input: FloatData,
    inputOffset: number,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    planes: number,
    height: number,
    width: number,
    geometry: WindowGeometry,
  ): void;

  private geometryFor(height: number, width: number): WindowGeometry {
    const geometry = this.geometry;
    if (geometry !== undefined && this.geometryHeight === height && this.geometryWidth === width) return geometry;
    this.geometry = windowGeometry(this.operation, height, width, this.poolSize, this.stride, [1, 1], this.padding);
    this.windows = windowBounds(this.geometry, height, width);
    this.geometryHeight = height;
    this.geometryWidth = width;
    return this.geometry;
  }
}

/**
 * Where each pooling window lies in the input, clipped to it: output row r reads input rows
 * [rowStart[r], rowEnd[r]), output column c reads columns [columnStart[c], columnEnd[c]). Computed
 * once per input size, so the pooling loops do no bounds arithmetic.
 *
 * @example
 * const { rowStart, rowEnd } = windowBounds(geometry, 28, 28);
 */
export interface WindowBounds {
  readonly rowStart: Int32Array;
  readonly rowEnd: Int32Array;
  readonly columnStart: Int32Array;
  readonly columnEnd: Int32Array;
}

const emptyBounds: WindowBounds = {
  rowStart: new Int32Array(0),
  rowEnd: new Int32Array(0),
  columnStart: new Int32Array(0),
  columnEnd: new Int32Array(0),
};

/**
 * The {@link WindowBounds} of a geometry over a `height × width` input.
 *
 * @example
 * windowBounds(windowGeometry('pool', 4, 4, [2, 2], [2, 2], [1, 1], 'valid'), 4, 4).rowEnd; // [2, 4]
 */
export function windowBounds(geometry: WindowGeometry, height: number, width: number): WindowBounds {
  const [rowStart, rowEnd] = clippedRanges(
    geometry.outputHeight,
    geometry.strideHeight,
    geometry.padTop,
    geometry.kernelHeight,
    height,
  );
  const [columnStart, columnEnd] = clippedRanges(
    geometry.outputWidth,
    geometry.strideWidth,
    geometry.padLeft,
    geometry.kernelWidth,
    width,
  );
  return { rowStart, rowEnd, columnStart, columnEnd };
}

function clippedRanges(
  count: number,
  stride: number,
  padding: number,
  kernel: number,
  size: number,
): [Int32Array, Int32Array] {
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    const first = index * stride - padding;
    starts[index] = Math.max(first, 0);
    ends[index] = Math.min(first + kernel, size);
  }
  return [starts, ends];
}
