// im2col and col2im over float32 NCHW planes in the kernels' memory: the same loops as
// src/ops/window-loops.ts (tap ranges first, so the row loops test no bounds), with four-lane
// copies and additions. Copies move bits and col2im adds in the same order as the TypeScript
// loop (tap after tap, each an exact float32 addition), so both give the same bits.

// @ts-ignore: decorator
@inline function rangeStart(tap: i32, dilation: i32, padBefore: i32, stride: i32, outSize: i32): i32 {
  const first = tap * dilation - padBefore;
  return min(outSize, first >= 0 ? 0 : (-first + stride - 1) / stride);
}

// @ts-ignore: decorator
@inline function rangeEnd(tap: i32, dilation: i32, padBefore: i32, stride: i32, outSize: i32, size: i32, start: i32): i32 {
  const first = tap * dilation - padBefore;
  const end = first >= size ? 0 : min(outSize, (size - 1 - first) / stride + 1);
  return max(start, end);
}

function zeros(target: usize, count: i32): usize {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(target + (<usize>i << 2), f32x4.splat(0));
  for (; i < count; i++) store<f32>(target + (<usize>i << 2), 0);
  return target + (<usize>count << 2);
}

function copy(target: usize, source: usize, stride: i32, count: i32): usize {
  let i = 0;
  if (stride == 1) {
    for (; i + 4 <= count; i += 4) v128.store(target + (<usize>i << 2), v128.load(source + (<usize>i << 2)));
    for (; i < count; i++) store<f32>(target + (<usize>i << 2), load<f32>(source + (<usize>i << 2)));
  } else {
    const step = <usize>stride << 2;
    for (; i < count; i++) store<f32>(target + (<usize>i << 2), load<f32>(source + <usize>i * step));
  }
  return target + (<usize>count << 2);
}

function addInto(target: usize, stride: i32, source: usize, count: i32): void {
  let i = 0;
  if (stride == 1) {
    for (; i + 4 <= count; i += 4) {
      const at = <usize>i << 2;
      v128.store(target + at, f32x4.add(v128.load(target + at), v128.load(source + at)));
    }
    for (; i < count; i++) {
      const at = <usize>i << 2;
      store<f32>(target + at, load<f32>(target + at) + load<f32>(source + at));
    }
  } else {
    const step = <usize>stride << 2;
    for (; i < count; i++) {
      const at = target + <usize>i * step;
      store<f32>(at, load<f32>(at) + load<f32>(source + (<usize>i << 2)));
    }
  }
}

/**
 * cols[plane·kH·kW + i·kW + j, oh·outW + ow] = x[plane, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW]
 * (0 in the padding) for N = `batch` samples of `channels` planes of height × width, where the
 * block of outH·outW entries of sample n, channel c and tap t = i·kW + j starts at element
 * n·sampleStride + c·channelStride + t·tapStride of cols: (C·kH·kW·P, kH·kW·P, P) for the
 * [N, C·kH·kW, P] layout of the im2col op (P = outH·outW), (P, kH·kW·N·P, N·P) for the
 * [C·kH·kW, N·P] layout that makes a convolution one product over the whole batch.
 */
function unfold(
  x: usize, cols: usize, batch: i32, channels: i32,
  height: i32, width: i32, kernelHeight: i32, kernelWidth: i32, strideHeight: i32, strideWidth: i32,
  dilationHeight: i32, dilationWidth: i32, padTop: i32, padLeft: i32, outHeight: i32, outWidth: i32,
  sampleStride: i32, channelStride: i32, tapStride: i32,
): void {
  const blockSize = outHeight * outWidth;
  for (let plane = 0; plane < batch * channels; plane++) {
    const image = x + (<usize>(plane * height * width) << 2);
    const planeBlock = cols + (<usize>((plane / channels) * sampleStride + (plane % channels) * channelStride) << 2);
    for (let i = 0; i < kernelHeight; i++) {
      const top = rangeStart(i, dilationHeight, padTop, strideHeight, outHeight);
      const bottom = rangeEnd(i, dilationHeight, padTop, strideHeight, outHeight, height, top);
      const firstRow = top * strideHeight - padTop + i * dilationHeight;
      for (let j = 0; j < kernelWidth; j++) {
        const block = planeBlock + (<usize>((i * kernelWidth + j) * tapStride) << 2);
        let target = block;
        const left = rangeStart(j, dilationWidth, padLeft, strideWidth, outWidth);
        const right = rangeEnd(j, dilationWidth, padLeft, strideWidth, outWidth, width, left);
        const inside = right - left;
        const after = outWidth - right;
        let source = image + (<usize>(firstRow * width + left * strideWidth - padLeft + j * dilationWidth) << 2);
        const sourceStep = <usize>(strideHeight * width) << 2;
        target = zeros(target, top * outWidth);
        for (let oh = top; oh < bottom; oh++, source += sourceStep) {
          target = zeros(target, left);
          target = copy(target, source, strideWidth, inside);
          target = zeros(target, after);
        }
        target = zeros(target, <i32>((block + (<usize>blockSize << 2) - target) >> 2));
      }
    }
  }
}

/**
 * The adjoint of {@link unfold}: x = 0, then every column entry added to the input element
 * it was read from (padding dropped), tap after tap, as window-loops.ts's foldWindows does.
 */
function fold(
  cols: usize, x: usize, batch: i32, channels: i32,
  height: i32, width: i32, kernelHeight: i32, kernelWidth: i32, strideHeight: i32, strideWidth: i32,
  dilationHeight: i32, dilationWidth: i32, padTop: i32, padLeft: i32, outHeight: i32, outWidth: i32,
  sampleStride: i32, channelStride: i32, tapStride: i32,
): void {
  const blockSize = outHeight * outWidth;
  zeros(x, batch * channels * height * width);
  for (let plane = 0; plane < batch * channels; plane++) {
    const image = x + (<usize>(plane * height * width) << 2);
    const planeBlock = cols + (<usize>((plane / channels) * sampleStride + (plane % channels) * channelStride) << 2);
    for (let i = 0; i < kernelHeight; i++) {
      const top = rangeStart(i, dilationHeight, padTop, strideHeight, outHeight);
      const bottom = rangeEnd(i, dilationHeight, padTop, strideHeight, outHeight, height, top);
      const firstRow = top * strideHeight - padTop + i * dilationHeight;
      for (let j = 0; j < kernelWidth; j++) {
        const block = planeBlock + (<usize>((i * kernelWidth + j) * tapStride) << 2);
        const left = rangeStart(j, dilationWidth, padLeft, strideWidth, outWidth);
        const right = rangeEnd(j, dilationWidth, padLeft, strideWidth, outWidth, width, left);
        let target = image + (<usize>(firstRow * width + left * strideWidth - padLeft + j * dilationWidth) << 2);
        let source = block + (<usize>(top * outWidth + left) << 2);
        const targetStep = <usize>(strideHeight * width) << 2;
        for (let oh = top; oh < bottom; oh++, target += targetStep, source += <usize>outWidth << 2)
          addInto(target, strideWidth, source, right - left);
      }
    }
  }
}

// The geometry is read from memory (16 int32s at `geometry`: channels, height, width, kernelHeight,
// kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft,
// outHeight, outWidth, sampleStride, channelStride, tapStride) so that an export takes four
// arguments: a kernel thread's run job carries at most 16, and a pass split by whole images
// (src/ops/window-resident.ts) gives each thread the same geometry with its own x, cols and batch.

/** {@link unfold} over `batch` samples with the geometry at `geometry`. */
export function im2colF32(x: usize, cols: usize, batch: i32, geometry: usize): void {
  unfold(
    x, cols, batch, load<i32>(geometry), load<i32>(geometry, 4), load<i32>(geometry, 8), load<i32>(geometry, 12),
    load<i32>(geometry, 16), load<i32>(geometry, 20), load<i32>(geometry, 24), load<i32>(geometry, 28),
    load<i32>(geometry, 32), load<i32>(geometry, 36), load<i32>(geometry, 40), load<i32>(geometry, 44),
    load<i32>(geometry, 48), load<i32>(geometry, 52), load<i32>(geometry, 56), load<i32>(geometry, 60),
  );
}

/** {@link fold} over `batch` samples with the geometry at `geometry` (x zeroed first, its `batch` samples only). */
export function col2imF32(cols: usize, x: usize, batch: i32, geometry: usize): void {
  fold(
    cols, x, batch, load<i32>(geometry), load<i32>(geometry, 4), load<i32>(geometry, 8), load<i32>(geometry, 12),
    load<i32>(geometry, 16), load<i32>(geometry, 20), load<i32>(geometry, 24), load<i32>(geometry, 28),
    load<i32>(geometry, 32), load<i32>(geometry, 36), load<i32>(geometry, 40), load<i32>(geometry, 44),
    load<i32>(geometry, 48), load<i32>(geometry, 52), load<i32>(geometry, 56), load<i32>(geometry, 60),
  );
}
