import { MR, NR } from './blocking';

// Packing copies a block of op(A) or op(B) into the order the micro-kernel reads it, so the
// kernel's inner loop only ever reads consecutive addresses whatever the operand's layout
// (plain or transposed, any leading dimension). Rows or columns beyond the matrix are written
// as zeros: the kernel then always computes a full MR x NR tile and the edges need no special
// inner loop.

/**
 * Stores the 4 x 4 transpose of the rows r0-r3 (lane q of each, as one vector) at
 * destination + q * stride bytes, q = 0..3.
 */
// @ts-ignore: decorator
@inline function storeTransposed(r0: v128, r1: v128, r2: v128, r3: v128, destination: usize, stride: usize): void {
  const low01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const low23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const high01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const high23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(destination, v128.shuffle<f64>(low01, low23, 0, 2));
  v128.store(destination + stride, v128.shuffle<f64>(low01, low23, 1, 3));
  v128.store(destination + 2 * stride, v128.shuffle<f64>(high01, high23, 0, 2));
  v128.store(destination + 3 * stride, v128.shuffle<f64>(high01, high23, 1, 3));
}

/**
 * Packs rows [row0, row0 + rows) and depth [depth0, depth0 + depth) of op(A) into MR-row
 * panels: panel r holds, for each depth p, the MR values op(A)[row0 + r * MR + i, depth0 + p].
 * op(A)[i, p] sits at a + (i * lda + p) * 4, or at a + (p * lda + i) * 4 when transposed.
 * A full panel of a plain op(A) is read as four depths of each of its five rows, of which rows
 * 0-3 are transposed 4 x 4 (as packB does) and row 4 is stored lane by lane. Measured on one
 * thread (medians, alternated): the MLP's [64,784]x[784,128] 271-286 us with the scalar copy,
 * 262-270 us with this one (251-256 us with no copy at all, wrong results: the bound), the GPT's
 * [768,512]x[512,128] Bᵀ 2,008-2,037 against 1,946-2,025 us. A transposed op(A), whose five values
 * per depth are consecutive, gained nothing measurable from vector moves and keeps the scalar copy
 * (when it is copied at all: see matmul.ts).
 */
export function packA(a: usize, lda: i32, transposed: bool, row0: i32, rows: i32, depth0: i32, depth: i32, destination: usize): void {
  const rowStep: usize = transposed ? 4 : <usize>lda << 2;
  const depthStep: usize = transposed ? <usize>lda << 2 : 4;
  for (let panel = 0; panel < rows; panel += MR) {
    const valid = min(MR, rows - panel);
    let source = a + (transposed ? (<usize>depth0 * lda + row0 + panel) << 2 : (<usize>(row0 + panel) * lda + depth0) << 2);
    if (valid == MR) {
      let p = 0;
      if (!transposed) {
        for (; p + 4 <= depth; p += 4) {
          const r0 = v128.load(source);
          const r1 = v128.load(source + rowStep);
          const r2 = v128.load(source + 2 * rowStep);
          const r3 = v128.load(source + 3 * rowStep);
          const r4 = v128.load(source + 4 * rowStep);
          storeTransposed(r0, r1, r2, r3, destination, MR * 4);
          v128.store32_lane(destination, r4, 0, 16);
          v128.store32_lane(destination, r4, 1, 36);
          v128.store32_lane(destination, r4, 2, 56);
          v128.store32_lane(destination, r4, 3, 76);
          source += 16;
          destination += 4 * MR * 4;
        }
      }
      for (; p < depth; p++) {
        store<f32>(destination, load<f32>(source));
        store<f32>(destination, load<f32>(source + rowStep), 4);
        store<f32>(destination, load<f32>(source + 2 * rowStep), 8);
        store<f32>(destination, load<f32>(source + 3 * rowStep), 12);
        store<f32>(destination, load<f32>(source + 4 * rowStep), 16);
        source += depthStep;
        destination += MR * 4;
      }
    } else {
      for (let p = 0; p < depth; p++) {
        for (let i = 0; i < MR; i++) store<f32>(destination + (<usize>i << 2), i < valid ? load<f32>(source + <usize>i * rowStep) : 0);
        source += depthStep;
        destination += MR * 4;
      }
    }
  }
}

/**
 * Packs depth [depth0, depth0 + depth) and columns [column0, column0 + columns) of op(B) into
 * NR-column panels: panel c holds, for each depth p, the NR values op(B)[depth0 + p, column0 + c * NR + j].
 * op(B)[p, j] sits at b + (p * ldb + j) * 4, or at b + (j * ldb + p) * 4 when transposed.
 */
export function packB(b: usize, ldb: i32, transposed: bool, depth0: i32, depth: i32, column0: i32, columns: i32, destination: usize): void {
  for (let panel = 0; panel < columns; panel += NR) {
    const valid = min(NR, columns - panel);
    const first = column0 + panel;
    if (!transposed) {
      let source = b + ((<usize>depth0 * ldb + first) << 2);
      const step = <usize>ldb << 2;
      if (valid == NR) {
        for (let p = 0; p < depth; p++) {
          v128.store(destination, v128.load(source));
          v128.store(destination, v128.load(source, 16), 16);
          source += step;
          destination += 32;
        }
      } else {
        for (let p = 0; p < depth; p++) {
          for (let j = 0; j < NR; j++) store<f32>(destination + (<usize>j << 2), j < valid ? load<f32>(source + (<usize>j << 2)) : 0);
          source += step;
          destination += 32;
        }
      }
    } else {
      // Column j of op(B) is row j of the stored matrix, contiguous along depth: transpose
      // 4 x 4 blocks, two per depth quadruple (columns 0-3 and 4-7 of the panel).
      const columnStride = <usize>ldb << 2;
      const column = b + ((<usize>first * ldb + depth0) << 2);
      if (valid == NR) {
        let p = 0;
        for (; p + 4 <= depth; p += 4) {
          const offset = <usize>p << 2;
          for (let half = 0; half < 2; half++) {
            const base = column + <usize>(half * 4) * columnStride + offset;
            const r0 = v128.load(base);
            const r1 = v128.load(base + columnStride);
            const r2 = v128.load(base + 2 * columnStride);
            const r3 = v128.load(base + 3 * columnStride);
            storeTransposed(r0, r1, r2, r3, destination + (<usize>half << 4), NR * 4);
          }
          destination += 128;
        }
        for (; p < depth; p++) {
          const offset = <usize>p << 2;
          for (let j = 0; j < NR; j++) store<f32>(destination + (<usize>j << 2), load<f32>(column + <usize>j * columnStride + offset));
          destination += 32;
        }
      } else {
        for (let p = 0; p < depth; p++) {
          const offset = <usize>p << 2;
          for (let j = 0; j < NR; j++) store<f32>(destination + (<usize>j << 2), j < valid ? load<f32>(column + <usize>j * columnStride + offset) : 0);
          destination += 32;
        }
      }
    }
  }
}
