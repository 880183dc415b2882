import type { FloatDType } from '@annet/layer-api';
import {
  residentParameterMemory,
  residentZeros,
  type Im2colCallOptions,
  type MatmulOptions,
  type Tensor,
} from '@annet/tensor';
import { windowGeometry, type Padding, type WindowGeometry } from './geometry.js';

/**
 * A Conv2D's buffers for one input shape, and the op options that point at them, so a training
 * step allocates nothing; the layer keeps them in its workspace (`workspace.derive`), made again
 * when the input shape changes. Every buffer a matmul reads or writes is resident (in the
 * WebAssembly kernels' memory when they have one), so products need no copies.
 *
 * @example
 * const buffers = createConvBuffers(layout, [64, 1, 28, 28]);
 * im2col(x, buffers.im2colOptions); // writes buffers.columns
 */
export interface ConvBuffers {
  readonly batchSize: number;
  readonly height: number;
  readonly width: number;
  readonly geometry: WindowGeometry;
  /** H′·W′, the output positions per channel. */
  readonly positions: number;
  /** y, [N, F, H′, W′]. */
  readonly output: Tensor;
  /** y as [N, F, H′W′]. */
  readonly outputColumns: Tensor;
  /** X = im2col(x), [N, C·kH·kW, H′W′]. */
  readonly columns: Tensor;
  readonly columnSamples: readonly Tensor[];
  /** dX before folding, [N, C·kH·kW, H′W′]. */
  readonly columnGradient: Tensor;
  readonly inputGradient: Tensor;
  /** dZ = dY ⊙ f′ as [N, F, H′W′] when the layer has an activation, else undefined. */
  readonly preActivationGradient: Tensor | undefined;
  readonly im2colOptions: Im2colCallOptions;
  readonly col2imOptions: Im2colCallOptions;
  readonly forwardOptions: MatmulOptions;
  readonly columnGradientOptions: MatmulOptions;
  /** [N, F, C·kH·kW] per-sample weight gradients when they fit in the columns' size (F ≤ H′W′), else undefined. */
  readonly sampleWeightGradients: Tensor | undefined;
  readonly sampleWeightGradientOptions: MatmulOptions;
  /** [F, C·kH·kW] scratch of one sample's weight gradient, for the per-sample way (F > H′W′). */
  readonly weightGradientSample: Tensor;
  readonly weightGradientSampleOptions: MatmulOptions;
  /** The columns' buffer as [C·kH·kW, N·H′W′], for the whole-batch way (see im2col-batch-columns.ts of @annet/tensor). */
  readonly batchColumns: Tensor;
  /** The column gradient's buffer as [C·kH·kW, N·H′W′]. */
  readonly batchColumnGradient: Tensor;
  /** W·X over the whole batch, [F, N·H′W′], before its blocks move to y's [N, F, H′W′]. */
  readonly productOutput: Tensor;
  /** dZ as [F, N·H′W′]. */
  readonly productGradient: Tensor;
  readonly batchForwardOptions: MatmulOptions;
  readonly batchColumnGradientOptions: MatmulOptions;
  /**
   * Whether every buffer of the whole-batch way is resident in a shared kernel memory (false when
   * the memory was full and one fell back to an ordinary array: the layer then keeps the
   * per-sample way, whose ops work on any array).
   */
  readonly batchWayResident: boolean;
}

/**
 * What of a Conv2D decides its buffers.
 *
 * @example
 * const layout: ConvLayout = { operation: 'Conv2D "c"', outChannels: 8, kernelSize: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same', dtype: 'float32', withActivation: false };
 */
export interface ConvLayout {
  readonly operation: string;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
  readonly dtype: FloatDType;
  /** Whether dZ = dY ⊙ f′ needs a buffer (any activation but `'linear'`). */
  readonly withActivation: boolean;
}

/**
 * Allocates the {@link ConvBuffers} of a Conv2D for an [N, C, H, W] input shape.
 *
 * @example
 * const buffers = createConvBuffers(layout, [64, 1, 28, 28]);
 */
export function createConvBuffers(layout: ConvLayout, shape: readonly number[]): ConvBuffers {
  const [batchSize, channels, height, width] = shape;
  const { outChannels, dtype } = layout;
  const geometry = windowGeometry(
    layout.operation,
    height,
    width,
    layout.kernelSize,
    layout.stride,
    layout.dilation,
    layout.padding,
  );
  const positions = geometry.outputHeight * geometry.outputWidth;
  const patchSize = channels * layout.kernelSize[0] * layout.kernelSize[1];
  const output = residentZeros([batchSize, outChannels, geometry.outputHeight, geometry.outputWidth], dtype);
  const outputColumns = output.reshape([batchSize, outChannels, positions]);
  const columns = residentZeros([batchSize, patchSize, positions], dtype);
  const columnGradient = residentZeros([batchSize, patchSize, positions], dtype);
  const inputGradient = residentZeros(shape, dtype);
  const sampleWeightGradients =
    outChannels <= positions ? residentZeros([batchSize, outChannels, patchSize], dtype) : undefined;
  const weightGradientSample = residentZeros([outChannels, patchSize], dtype);
  const batchColumns = columns.reshape([patchSize, batchSize * positions]);
  const batchColumnGradient = columnGradient.reshape([patchSize, batchSize * positions]);
  const productOutput = residentZeros([outChannels, batchSize * positions], dtype);
  const productGradient = residentZeros([outChannels, batchSize * positions], dtype);
  const geometryOptions = {
    kernelSize: layout.kernelSize,
    stride: layout.stride,
    dilation: layout.dilation,
    padding: [geometry.padTop, geometry.padBottom, geometry.padLeft, geometry.padRight] as const,
  };
  return {
    batchSize,
    height,
    width,
    geometry,
    positions,
    output,
    outputColumns,
    columns,
    columnSamples: Array.from({ length: batchSize }, (_, n) => columns.slice(n)),
    columnGradient,
    inputGradient,
    preActivationGradient: layout.withActivation
      ? residentZeros([batchSize, outChannels, positions], dtype)
      : undefined,
    im2colOptions: { ...geometryOptions, out: columns },
    col2imOptions: { ...geometryOptions, out: inputGradient },
    forwardOptions: { out: outputColumns },
    columnGradientOptions: { transposeA: true, out: columnGradient },
    sampleWeightGradients,
    sampleWeightGradientOptions: { transposeB: true, out: sampleWeightGradients },
    weightGradientSample,
    weightGradientSampleOptions: { transposeB: true, out: weightGradientSample },
    batchColumns,
    batchColumnGradient,
    productOutput,
    productGradient,
    batchForwardOptions: { out: productOutput },
    batchColumnGradientOptions: { transposeA: true, out: batchColumnGradient },
    batchWayResident:
      residentParameterMemory(
        output.data,
        columns.data,
        columnGradient.data,
        inputGradient.data,
        productOutput.data,
        productGradient.data,
      ) !== undefined,
  };
}
