import { MR, NR } from './blocking';

// The register tile: MR x NR = 5 x 8 outputs in ten f32x4 accumulators, updated with one rank-1
// product per depth step from a column of A (5 broadcast values) and a packed B row (two
// vectors). Ten accumulators, two B vectors, one broadcast and one product temporary fit the 15
// vector registers V8 allocates on x64 without spilling; measured on this machine (plain SIMD,
// n = 512): 4 x 8 about 30 GFLOP/s, 5 x 8 about 35, 6 x 8 (spills) about 23.

/** c + a * b: fused (one rounding) with relaxed SIMD when the platform fuses, two roundings otherwise. */
// @ts-ignore: decorator
@inline function multiplyAdd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Writes one full row of the tile: [+ old C] [+ bias] [ReLU]. */
// @ts-ignore: decorator
@inline function storeRow(c: usize, low: v128, high: v128, accumulate: bool, bias: usize, relu: bool): void {
  if (accumulate) {
    low = f32x4.add(low, v128.load(c));
    high = f32x4.add(high, v128.load(c, 16));
  }
  if (bias != 0) {
    low = f32x4.add(low, v128.load(bias));
    high = f32x4.add(high, v128.load(bias, 16));
  }
  if (relu) {
    const zero = f32x4.splat(0);
    low = f32x4.max(low, zero);
    high = f32x4.max(high, zero);
  }
  v128.store(c, low);
  v128.store(c, high, 16);
}

/**
 * C[0:rows, 0:columns] (+)= sum over p of A[p] (x) packedB[p], then the epilogue
 * (bias pointer, 0 for none; ReLU). A's MR values for depth p are consecutive floats at
 * `panelA + p * depthStepA` bytes: a packed panel (step MR * 4), or a transposed operand read in
 * place (step lda * 4). `c` points at the tile's top-left element, rows ldc floats apart.
 * `edgeTile` points at MR * NR * 4 scratch bytes (16-byte aligned) where a partial tile is
 * spilled, so the hot loop never branches on the tile's shape. It is the caller's scratch, not
 * static data: the module has no data segment, so several instances (threads) can share one memory.
 */
export function microKernel(depth: i32, panelA: usize, depthStepA: usize, packedB: usize, c: usize, ldc: i32, rows: i32, columns: i32, accumulate: bool, bias: usize, relu: bool, edgeTile: usize): void {
  // The tile's registers and packA's unrolled loads are written out for 5 x 8: fail the build, not the numbers, if blocking.ts changes.
  if (MR != 5 || NR != 8) ERROR('microKernel and packA are written for a 5 x 8 tile');
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(packedB);
    const b1 = v128.load(packedB, 16);
    let a = v128.load32_splat(panelA);
    c00 = multiplyAdd(a, b0, c00);
    c01 = multiplyAdd(a, b1, c01);
    a = v128.load32_splat(panelA, 4);
    c10 = multiplyAdd(a, b0, c10);
    c11 = multiplyAdd(a, b1, c11);
    a = v128.load32_splat(panelA, 8);
    c20 = multiplyAdd(a, b0, c20);
    c21 = multiplyAdd(a, b1, c21);
    a = v128.load32_splat(panelA, 12);
    c30 = multiplyAdd(a, b0, c30);
    c31 = multiplyAdd(a, b1, c31);
    a = v128.load32_splat(panelA, 16);
    c40 = multiplyAdd(a, b0, c40);
    c41 = multiplyAdd(a, b1, c41);
    panelA += depthStepA;
    packedB += NR * 4;
  }
  const rowStride = <usize>ldc << 2;
  if (columns == NR) {
    // Full-width tiles, including the last rows of a matrix whose height is not a multiple of MR.
    if (rows > 0) storeRow(c + 0 * rowStride, c00, c01, accumulate, bias, relu);
    if (rows > 1) storeRow(c + 1 * rowStride, c10, c11, accumulate, bias, relu);
    if (rows > 2) storeRow(c + 2 * rowStride, c20, c21, accumulate, bias, relu);
    if (rows > 3) storeRow(c + 3 * rowStride, c30, c31, accumulate, bias, relu);
    if (rows > 4) storeRow(c + 4 * rowStride, c40, c41, accumulate, bias, relu);
    return;
  }
  v128.store(edgeTile, c00, 0);
  v128.store(edgeTile, c01, 16);
  v128.store(edgeTile, c10, 32);
  v128.store(edgeTile, c11, 48);
  v128.store(edgeTile, c20, 64);
  v128.store(edgeTile, c21, 80);
  v128.store(edgeTile, c30, 96);
  v128.store(edgeTile, c31, 112);
  v128.store(edgeTile, c40, 128);
  v128.store(edgeTile, c41, 144);
  for (let i = 0; i < rows; i++) {
    const row = c + <usize>i * rowStride;
    for (let j = 0; j < columns; j++) {
      const target = row + (<usize>j << 2);
      let value = load<f32>(edgeTile + (<usize>(i * NR + j) << 2));
      if (accumulate) value += load<f32>(target);
      if (bias != 0) value += load<f32>(bias + (<usize>j << 2));
      if (relu) value = max(value, <f32>0);
      store<f32>(target, value);
    }
  }
}
