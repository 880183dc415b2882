import { KC, MC, MR, NC, NR } from './blocking';
import { microKernel } from './micro-kernel';
import { packA, packB } from './pack';

/** Activation codes shared with the TypeScript loader (`wasmActivationCode` in `src/kernels/wasm-module.ts`). */
export const ACTIVATION_NONE: i32 = 0;
export const ACTIVATION_RELU: i32 = 1;

/** Most columns of a block for which a transposed A is read in place rather than packed (4 panels). */
const IN_PLACE_COLUMNS: i32 = 4 * NR;

function roundUp(value: i32, multiple: i32): i32 {
  return (value + multiple - 1) / multiple * multiple;
}

/** Bytes of scratch `matmulF32` needs for an [m, k] x [k, n] product: one packed B block, one packed A block and a 16-byte aligned edge tile. */
export function matmulScratchBytes(m: i32, n: i32, k: i32): i32 {
  const depth = min(KC, k);
  return (roundUp(min(NC, n), NR) + roundUp(min(MC, m), MR)) * depth * 4 + 16 + MR * NR * 4;
}

/** Applies the epilogue alone to an [m, n] block when there is no product to fuse it into (k = 0). */
function epilogueOnly(c: usize, ldc: i32, m: i32, n: i32, accumulate: bool, bias: usize, relu: bool): void {
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    for (let j = 0; j < n; j++) {
      const target = row + (<usize>j << 2);
      let value: f32 = accumulate ? load<f32>(target) : 0;
      if (bias != 0) value += load<f32>(bias + (<usize>j << 2));
      if (relu) value = max(value, <f32>0);
      store<f32>(target, value);
    }
  }
}

/**
 * C (+)= op(A) · op(B) [+ bias] [ReLU] in float32, all pointers being byte addresses in this
 * module's memory. op(A) is [m, k] (stored [k, m] when transposeA), op(B) is [k, n] (stored
 * [n, k] when transposeB), C is [m, n]; lda, ldb, ldc are row strides in elements. `bias` points
 * at n floats added to every row (0 for none); `activation` is ACTIVATION_NONE or ACTIVATION_RELU.
 * `scratch` points at matmulScratchBytes(m, n, k) free bytes, 16-byte aligned.
 */
export function matmulF32(
  a: usize, lda: i32, transposeA: bool,
  b: usize, ldb: i32, transposeB: bool,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32,
  accumulate: bool, bias: usize, activation: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const relu = activation == ACTIVATION_RELU;
  if (k <= 0) {
    epilogueOnly(c, ldc, m, n, accumulate, bias, relu);
    return;
  }
  const packedB = scratch;
  const packedA = scratch + (<usize>(roundUp(min(NC, n), NR) * min(KC, k)) << 2);
  // 16-byte aligned (the packed blocks end on any 4-byte boundary when the depth is odd).
  const edgeTile = (packedA + (<usize>(roundUp(min(MC, m), MR) * min(KC, k)) << 2) + 15) & ~(<usize>15);
  for (let column0 = 0; column0 < n; column0 += NC) {
    const columns = min(NC, n - column0);
    for (let depth0 = 0; depth0 < k; depth0 += KC) {
      const depth = min(KC, k - depth0);
      const addToC = accumulate || depth0 > 0;
      const last = depth0 + depth >= k;
      packB(b, ldb, transposeB, depth0, depth, column0, columns, packedB);
      for (let row0 = 0; row0 < m; row0 += MC) {
        const rows = min(MC, m - row0);
        // A transposed op(A) holds each depth's rows as consecutive floats already. When few
        // column panels would reuse a packed copy, its full panels are read in place, and only
        // a last partial one is packed (zero-padded, so no read goes past the matrix). Measured
        // on one thread (medians): [144,12544]x[12544,16] A^T (a convolution's weight
        // gradient) 1,662-1,964 us packed, 1,294-1,316 in place; 32 columns 2,885-3,081 against
        // 2,667-2,782; at 128 to 512 columns in place was 1-5 % slower (GPT's [128,768]x[768,512]
        // A^T 2,044-2,110 us packed, 2,136-2,180 in place).
        const inPlaceRows = transposeA && columns <= IN_PLACE_COLUMNS ? rows - rows % MR : 0;
        packA(a, lda, transposeA, row0 + inPlaceRows, rows - inPlaceRows, depth0, depth, packedA);
        for (let panelColumn = 0; panelColumn < columns; panelColumn += NR) {
          const column = column0 + panelColumn;
          const tileBias: usize = last && bias != 0 ? bias + (<usize>column << 2) : 0;
          const panelB = packedB + (<usize>(panelColumn * depth) << 2);
          for (let panelRow = 0; panelRow < rows; panelRow += MR) {
            const target = c + (<usize>((row0 + panelRow) * ldc + column) << 2);
            const inPlace = panelRow < inPlaceRows;
            const panelA = inPlace
              ? a + ((<usize>depth0 * lda + row0 + panelRow) << 2)
              : packedA + (<usize>((panelRow - inPlaceRows) * depth) << 2);
            microKernel(
              depth, panelA, inPlace ? <usize>lda << 2 : MR * 4, panelB, target, ldc,
              min(MR, rows - panelRow), min(NR, columns - panelColumn), addToC, tileBias, last && relu, edgeTile,
            );
          }
        }
      }
    }
  }
}
