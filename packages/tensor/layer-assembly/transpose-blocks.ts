// Swaps the two outer axes of [outer, inner, block] float32 data: target[j][i][·] = source[i][j][·],
// whole blocks of `block` consecutive values at a time (a convolution's [N, F, P] output and
// gradient against the [F, N·P] layout of its whole-batch products).

/**
 * target[(j·outer + i)·block + p] = source[(i·inner + j)·block + p] for the outer indices i in
 * [first, end) (0 and `outer` for all: kernel threads take disjoint ranges); the arrays must not overlap.
 */
export function transposeBlocksF32(source: usize, target: usize, outer: i32, inner: i32, block: i32, first: i32, end: i32): void {
  const blockBytes = <usize>block << 2;
  for (let i = first; i < end; i++) {
    for (let j = 0; j < inner; j++) {
      const from = source + <usize>(i * inner + j) * blockBytes;
      const to = target + <usize>(j * outer + i) * blockBytes;
      let p = 0;
      for (; p + 4 <= block; p += 4) v128.store(to + (<usize>p << 2), v128.load(from + (<usize>p << 2)));
      for (; p < block; p++) store<f32>(to + (<usize>p << 2), load<f32>(from + (<usize>p << 2)));
    }
  }
}
