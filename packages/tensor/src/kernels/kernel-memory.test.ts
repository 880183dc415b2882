import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignUp, KernelMemory } from './kernel-memory.js';
import { createSharedKernelMemory } from './wasm-module.js';

type Step = { readonly kind: 'allocate'; readonly length: number } | { readonly kind: 'free'; readonly pick: number };

/** Allocations of 1 to 4000 floats and frees of a live array chosen by `pick`, in any order. */
const steps: fc.Arbitrary<readonly Step[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('allocate' as const), length: fc.integer({ min: 1, max: 4000 }) }),
    fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
  ),
  { maxLength: 60 },
);

/** A heap base that is not a multiple of 64, so the first block must be aligned up. */
const heapBase = 40;
const base = alignUp(heapBase);

/**
 * Checks the allocator's bookkeeping against the arrays the test holds: the live blocks are
 * exactly theirs, every block is 64-byte aligned, live and free blocks never overlap and together
 * tile [base, top) without a gap, and no two free blocks touch and none touches the top (freed
 * neighbours were merged, a freed top block lowered the top).
 */
function expectConsistent(memory: KernelMemory, held: readonly { array: Float32Array }[]): void {
  const { live, free, top } = memory.blockLayout();
  expect(live.map((block) => block.address)).toEqual(
    held.map(({ array }) => memory.addressOf(array)).sort((first, second) => first - second),
  );
  for (const block of live)
    expect(block.size).toBe(
      alignUp(held.find(({ array }) => memory.addressOf(array) === block.address)!.array.length * 4),
    );
  const blocks = [...live, ...free].sort((first, second) => first.address - second.address);
  let end = base;
  for (const block of blocks) {
    expect(block.address % 64).toBe(0);
    expect(block.address).toBe(end); // neither an overlap (<) nor a leaked gap (>)
    end = block.address + block.size;
  }
  expect(end).toBe(top);
  for (let index = 1; index < free.length; index++)
    expect(free[index - 1].address + free[index - 1].size).toBeLessThan(free[index].address);
  if (free.length > 0) expect(free[free.length - 1].address + free[free.length - 1].size).toBeLessThan(top);
}

describe('KernelMemory under random allocate/free sequences (property)', () => {
  it('never overlaps blocks, merges free neighbours, and gets every byte back when everything is freed', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const memory = new KernelMemory(createSharedKernelMemory()!, heapBase, true, 512);
        const held: { array: Float32Array; id: number }[] = [];
        sequence.forEach((step, id) => {
          if (step.kind === 'allocate') {
            const array = memory.allocateFloat32(step.length)!;
            expect(array.every((value) => value === 0)).toBe(true); // a reused block is zero-filled
            array.fill(id + 1);
            held.push({ array, id: id + 1 });
          } else if (held.length > 0) {
            const [freed] = held.splice(step.pick % held.length, 1);
            memory.free(memory.addressOf(freed.array));
          }
          expectConsistent(memory, held);
        });
        // No array was written through another's block.
        for (const { array, id } of held) expect(array.every((value) => value === id)).toBe(true);
        for (const { array } of held) memory.free(memory.addressOf(array));
        expect(memory.blockLayout()).toEqual({ live: [], free: [], top: base });
        expect(memory.bytesInUse).toBe(0);
        expect(memory.addressOf(memory.allocateFloat32(1)!)).toBe(base);
      }),
      { numRuns: 150, seed: 1203 },
    );
  });
});
