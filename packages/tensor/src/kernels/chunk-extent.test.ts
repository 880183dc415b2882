import { describe, expect, it } from 'vitest';
import { chunkExtent, chunksPerThread, minimumChunkExtent } from './chunk-extent.js';

describe('chunkExtent (how a split product is cut)', () => {
  it('aims at 4 chunks per thread, in whole register tiles', () => {
    expect(chunksPerThread).toBe(4);
    // 768 rows / (2 threads x 4) = 96, up to the next multiple of the 5-row tile: 100 (chunks 100 x 7 + 68).
    expect(chunkExtent(768, 2, 5)).toBe(100);
    // 3 threads: 768 / 12 = 64, already a multiple of the 8-column tile.
    expect(chunkExtent(768, 3, 8)).toBe(64);
  });

  it('keeps chunks at least 64 wide, where packing the shared operand again would cost more than it splits', () => {
    expect(minimumChunkExtent).toBe(64);
    // The MLP's 128 columns on 2 threads: 128 / 8 = 16 would repack op(A) 8 times; 64 gives 2 chunks.
    expect(chunkExtent(128, 2, 8)).toBe(64);
    // 256 rows: 256 / 8 = 32 rises to 64, up to the 5-row tile: 65 (chunks 65, 65, 65, 61).
    expect(chunkExtent(256, 2, 5)).toBe(65);
  });

  it('never leaves a thread without a chunk', () => {
    // 100 columns on 2 threads: 64 would leave the second thread 36; each half is 50, up to the tile: 56.
    expect(chunkExtent(100, 2, 8)).toBe(56);
    // 40 rows on 3 threads: 40 / 3 = 13.3, up to the 5-row tile: 15 (chunks 15, 15, 10).
    expect(chunkExtent(40, 3, 5)).toBe(15);
    for (const [extent, parts, tile] of [
      [128, 2, 8],
      [100, 2, 8],
      [40, 3, 5],
      [1000, 4, 5],
      [9, 2, 8],
    ] as const)
      expect(Math.ceil(extent / chunkExtent(extent, parts, tile))).toBeGreaterThanOrEqual(
        Math.min(parts, Math.ceil(extent / tile)),
      );
  });
});
