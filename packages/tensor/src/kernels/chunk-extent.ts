// How a product split across the kernel threads is cut into chunks (wasm-kernels.ts's runSplit).

/**
 * Chunks per thread a split product is cut into, at most. Threads take chunks one at a time from
 * a shared counter, so a helper that starts late (woken from its futex, or its vCPU preempted by
 * another process on a shared machine) takes fewer of them instead of holding up a fixed half:
 * the caller then waits at most for the one chunk a helper is running. 4 per thread keeps chunks
 * at 96-100 rows for the GPT's 768-row products.
 */
export const chunksPerThread = 4;

/**
 * Fewest rows or columns in a chunk (then rounded up to the register tile), unless that would
 * leave a thread without one. Each chunk packs its own copy of the shared operand (all of op(B)
 * for a row chunk, all of op(A) for a column chunk), which costs about one packed value per value
 * of it against chunk / 8 multiply-add instructions' worth of lanes: a 64-wide chunk keeps that
 * near 1/8 of the chunk's work, where 16 columns made it about a half.
 *
 * Measured on the 2-core development VM, the MLP's [64,784]x[784,128] forward product (bias and
 * ReLU fused) on 2 threads, median of 3,000 calls, alternated in one lock: 214-216 µs in 8 chunks
 * of 16 columns, 157-162 µs in 2 chunks of 64 (one thread: 265 µs); its [256,784]x[784,128] at
 * batch 256: 646-733 µs in 8 chunks of 32 rows, 577-595 µs in 4 of 65 (one thread: 1,046-1,061
 * µs). The MLP's whole step on 2 threads at batch 64: 0.877-0.884 ms, then 0.813-0.826 ms.
 */
export const minimumChunkExtent = 64;

/**
 * Rows or columns per chunk of a product `extent` wide split over `parts` threads: a multiple of
 * `tile`, aiming at {@link chunksPerThread} chunks per thread but no narrower than
 * {@link minimumChunkExtent}, and never so wide that a thread is left without a chunk.
 *
 * @example
 * chunkExtent(768, 2, 5); // 100: 8 chunks of the GPT's 768 rows (the last one 68)
 * chunkExtent(128, 2, 8); // 64: the MLP's 128 columns in 2 chunks
 */
export function chunkExtent(extent: number, parts: number, tile: number): number {
  const aimed = Math.max(extent / (parts * chunksPerThread), minimumChunkExtent);
  return Math.min(wholeTiles(aimed, tile), wholeTiles(extent / parts, tile));
}

/** `count` rounded up to a multiple of `tile` (a plain function: chunkExtent runs per split product and allocates nothing). */
function wholeTiles(count: number, tile: number): number {
  return Math.ceil(count / tile) * tile;
}
