import { imageWasmBase64 } from './image-binary.generated.js';
import { imageNormWasmBase64 } from './image-norm-binary.generated.js';
import type { KernelMemory } from './kernel-memory.js';
import { KernelModuleSet } from './kernel-module-set.js';

/**
 * A pooling pass over planes [first, end) of height × width planes pooled to outHeight × outWidth,
 * on three arrays at byte addresses `a`, `b`, `c` (what each is, the export says).
 *
 * @example
 * const pass: PlaneRangeKernel = kernels.maxPool2x2F32;
 * pass(input, output, winners, 0, planes, 28, 28, 14, 14);
 */
export type PlaneRangeKernel = (
  a: number,
  b: number,
  c: number,
  first: number,
  end: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
) => void;

/**
 * The exports of the two image layer kernel modules (`layer-assembly/image-index.ts`, convolution
 * lowering, and `layer-assembly/image-norm-index.ts`, BatchNorm and ReLU): the passes of
 * convolutional networks around their matmuls, on the kernel module's shared memory. Pointers
 * are byte addresses in that memory; per-channel statistics are arrays of doubles.
 *
 * @example
 * imageKernelsOfActiveBackend()?.kernels.reluF32(x, y, n);
 */
export interface ImageKernelExports {
  /**
   * im2col over the N·C planes of `batch` samples into blocks at the given strides, the geometry
   * read from the 16 int32s at `geometry` ({@link windowGeometryWords}); see `layer-assembly/im2col.ts`.
   */
  im2colF32(x: number, cols: number, batch: number, geometry: number): void;
  /** col2im (x's `batch` samples zeroed, then the columns added in), the same arguments with cols first. */
  col2imF32(cols: number, x: number, batch: number, geometry: number): void;
  /** Per-channel sums (squares: 0) or sums of squared deviations from `mean` over [N, C, inner], for channels [first, end); see `layer-assembly/batch-norm.ts`. */
  channelSumsF32(
    x: number,
    sums: number,
    mean: number,
    batch: number,
    channels: number,
    inner: number,
    squares: number,
    first: number,
    end: number,
  ): void;
  /** y = (x − mean)·scale + shift per channel, in float64. */
  batchNormNormalizeF32(
    x: number,
    y: number,
    mean: number,
    scale: number,
    shift: number,
    batch: number,
    channels: number,
    inner: number,
  ): void;
  /** Σ dy and Σ dy·x̂ per channel. */
  batchNormGradientSumsF32(
    x: number,
    dy: number,
    mean: number,
    inverseDeviation: number,
    sumGradient: number,
    sumGradientNormalized: number,
    batch: number,
    channels: number,
    inner: number,
  ): void;
  /** dx = factor·(dy − meanGradient − x̂·meanGradientNormalized) per channel, in float64. */
  batchNormInputGradientF32(
    x: number,
    dy: number,
    dx: number,
    mean: number,
    inverseDeviation: number,
    factor: number,
    meanGradient: number,
    meanGradientNormalized: number,
    batch: number,
    channels: number,
    inner: number,
  ): void;
  /** target[j][i][·] = source[i][j][·] over [outer, inner, block], for i in [first, end); see `layer-assembly/transpose-blocks.ts`. */
  transposeBlocksF32(
    source: number,
    target: number,
    outer: number,
    inner: number,
    block: number,
    first: number,
    end: number,
  ): void;
  /** y = x·[x > 0] + 0, NaN kept. */
  reluF32(x: number, y: number, n: number): void;
  /** 2x2 max pooling with stride 2 of planes [first, end) (input, output, winners), with each window's winning position; see `layer-assembly/max-pool.ts`. */
  maxPool2x2F32: PlaneRangeKernel;
  /** dx = dy·[x > 0] + 0. */
  reluBackwardF32(x: number, dy: number, dx: number, n: number): void;
  /** The gradient of `maxPool2x2F32` (output gradient, winners, input gradient): writes every element of planes [first, end) of the input gradient; see `layer-assembly/max-pool.ts`. */
  maxUnpool2x2F32: PlaneRangeKernel;
}

/**
 * The int32 words of a window geometry block, as `im2colF32` and `col2imF32` read them: channels,
 * height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight,
 * dilationWidth, padTop, padLeft, outHeight, outWidth, sampleStride, channelStride, tapStride
 * (the last three in elements of the columns). A block in memory, not arguments, because a kernel
 * thread's run job carries at most 16 arguments.
 *
 * @example
 * resident.geometry?.set([16, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 14, 14, 196, 9 * 64 * 196, 64 * 196]);
 */
export const windowGeometryWords = 16;

const imageModules = new KernelModuleSet<ImageKernelExports>([imageWasmBase64, imageNormWasmBase64]);

/**
 * The bytes of the image module (convolution lowering: im2col, col2im, block transposes),
 * decoded once, which kernel threads instantiate through `ParallelKernels.register` to share a
 * large pass (`split-kernel.ts`).
 *
 * @example
 * splitKernel(imageKernelBytes(), 'im2colF32', batch, elements, fill);
 */
export const imageKernelBytes = (): Uint8Array<ArrayBuffer> => imageModules.bytes(0);

/**
 * The bytes of the image normalization module (BatchNorm and ReLU), decoded once; as {@link imageKernelBytes}.
 *
 * @example
 * splitKernel(imageNormKernelBytes(), 'reluF32', groups, size, fill);
 */
export const imageNormKernelBytes = (): Uint8Array<ArrayBuffer> => imageModules.bytes(1);

/**
 * The image layer kernels running on `memory` (the shared WebAssembly memory of the matmul
 * module), instantiated on first use and cached per memory; `null` where WebAssembly SIMD or
 * shared memory is missing (callers then run their TypeScript loops).
 *
 * @example
 * const kernels = imageKernelsOn(backend.sharedMemory);
 */
export function imageKernelsOn(memory: WebAssembly.Memory): ImageKernelExports | null {
  return imageModules.on(memory);
}

/**
 * The image kernels and the memory they run on, with a resident staging area for per-channel
 * float64 statistics (grown on demand and kept, so steady-state calls allocate nothing).
 *
 * @example
 * const { kernels, memory } = imageKernelsOfActiveBackend()!;
 */
export interface ResidentImageKernels {
  readonly kernels: ImageKernelExports;
  /** The backend's memory: `owns(array)` says whether kernels can run on an array, at `addressOf(array) + 4·offset`. */
  readonly memory: KernelMemory;
  /** `count` float64 arrays of `length` doubles each, resident, one after the other (their byte addresses are `addressOf(staging)` + 8·length·index); null when the memory is full. */
  staging(length: number, count: number): Float64Array | null;
  /** A resident block of {@link windowGeometryWords} int32s for im2col's and col2im's geometry (at its `byteOffset`); null when the memory was full. */
  readonly geometry: Int32Array | null;
}

/** The allocation behind each `geometry` view, kept as long as the view's owner. */
const geometryBlocks = new WeakMap<ResidentImageKernels, Float32Array>();
/** The staging of each backend's kernels, made once. */
const withStaging = new WeakMap<object, ResidentImageKernels>();

/**
 * The image kernels of the active backend when it is WebAssembly on a shared memory (cached per
 * backend); null otherwise, and the caller runs its TypeScript loop.
 *
 * @example
 * const resident = imageKernelsOfActiveBackend();
 * if (resident !== null && resident.memory.owns(x) && resident.memory.owns(y)) resident.kernels.reluF32(resident.memory.addressOf(x), resident.memory.addressOf(y), x.length);
 */
export function imageKernelsOfActiveBackend(): ResidentImageKernels | null {
  const resident = imageModules.ofActiveBackend();
  if (resident === null) return null;
  let found = withStaging.get(resident);
  if (found === undefined) {
    const block = resident.memory.allocateFloat32(windowGeometryWords);
    const geometry = block === null ? null : new Int32Array(block.buffer, block.byteOffset, windowGeometryWords);
    found = { ...resident, staging: stagingOf(resident.memory), geometry };
    withStaging.set(resident, found);
    // The block is freed when its Float32Array is collected (the Int32Array view does not hold it).
    if (block !== null) geometryBlocks.set(found, block);
  }
  return found;
}

function stagingOf(memory: KernelMemory): (length: number, count: number) => Float64Array | null {
  let block: Float32Array | null = null;
  let doubles: Float64Array | null = null;
  return (length, count) => {
    const needed = length * count;
    if (doubles === null || doubles.length < needed) {
      // Resident blocks are 64-byte aligned, so a float64 view of one is aligned too.
      block = memory.allocateFloat32(2 * Math.max(needed, 64));
      doubles = block === null ? null : new Float64Array(block.buffer, block.byteOffset, block.length / 2);
    }
    return doubles;
  };
}
