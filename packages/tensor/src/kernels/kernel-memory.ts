import { AnnetError } from '../errors.js';
import { recordBufferOfMemory } from './memory-identity.js';

const pageBytes = 65536;
/**
 * Bytes resident arrays leave free below the memory's limit (64 MiB, or an eighth of a smaller
 * limit), so that products always find scratch for packing and copies: past this point
 * `allocateFloat32` returns null (an ordinary array is used instead) rather than letting every
 * later product fail for want of scratch.
 */
const scratchHeadroomBytes = 64 * 1024 * 1024;
/** Every block starts on a cache line, so SIMD loads never straddle one at a block's start. */
const alignment = 64;

/**
 * `value` rounded up to a multiple of 64 bytes (a cache line): how blocks and scratch regions are aligned.
 *
 * @example
 * alignUp(65); // 128
 */
export function alignUp(value: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** A free run of bytes: [address, address + size). */
interface FreeBlock {
  address: number;
  size: number;
}

/**
 * The memory of a WebAssembly kernel module and an allocator over it (everything above the
 * module's `heapBase()`): where tensors live when the kernels should read and write them in place,
 * and where operands that live elsewhere are copied for one product (the scratch region).
 *
 * Two modes:
 * - **resident** (the memory is shared): {@link KernelMemory.allocateFloat32} hands out
 *   Float32Arrays over the memory. Growing a shared memory never detaches an existing view (the
 *   old SharedArrayBuffer keeps aliasing the same bytes), so those arrays stay valid for their
 *   whole life, like any typed array. Each block is returned to the allocator when its array is
 *   garbage-collected (a FinalizationRegistry): no `dispose()`.
 * - **scratch only** (an ordinary memory, for runtimes without shared memory): growing detaches
 *   the old ArrayBuffer, so no array is ever handed out; operands are copied in and out, and the
 *   views used for that are re-derived after every growth ({@link KernelMemory.float32}).
 *
 * First-fit allocation over an address-ordered free list with coalescing; blocks are 64-byte
 * aligned. A training loop allocates its buffers once per batch shape, so the list stays short.
 *
 * @example
 * const memory = new KernelMemory(module.memory, module.heapBase(), true);
 * const weights = memory.allocateFloat32(784 * 128); // zero-filled, in WebAssembly memory (or null when full)
 * memory.addressOf(weights!);                        // its byte address, for a kernel call
 */
export class KernelMemory {
  /** Whether arrays over the memory may be handed out (the memory is shared). */
  readonly resident: boolean;
  private readonly memory: WebAssembly.Memory;
  private readonly maximumBytes: number;
  /** First byte not yet handed out by the bump pointer; free blocks below it are in `freeList`. */
  private top: number;
  private readonly freeList: FreeBlock[] = [];
  /** Size of every live block by address. */
  private readonly live = new Map<number, number>();
  /** Every ArrayBuffer or SharedArrayBuffer object the memory has shown; an array over one of them is in this memory. */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private view: Float32Array;
  private readonly finalizers: FinalizationRegistry<number> | null;
  /** The unregister token of each resident array's block, so a block freed by hand is not freed again by its finalizer. */
  private readonly tokens = new Map<number, object>();
  private scratchAddress = 0;
  private scratchSize = 0;

  /**
   * @param memory the module's memory
   * @param heapBase the first byte after the module's static data (`heapBase()`)
   * @param resident hand out arrays over the memory (only for a shared memory, whose views survive growth)
   * @param maximumPages the memory's maximum in 64 KiB pages (a shared memory declares one); 65536 by default
   */
  constructor(memory: WebAssembly.Memory, heapBase: number, resident: boolean, maximumPages = 65536) {
    this.memory = memory;
    this.top = alignUp(heapBase);
    this.maximumBytes = maximumPages * pageBytes;
    this.resident = resident && typeof FinalizationRegistry === 'function';
    this.view = this.float32();
    this.finalizers = this.resident ? new FinalizationRegistry((address) => this.free(address)) : null;
  }

  /** Bytes currently mapped (the module's whole memory). */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes in live blocks (resident arrays and the scratch region). */
  get bytesInUse(): number {
    let total = 0;
    for (const size of this.live.values()) total += size;
    return total;
  }

  /**
   * The allocator's bookkeeping, copied, for tests and diagnostics: the live blocks and the free
   * blocks in address order, and the bump pointer (the first byte never handed out since the
   * blocks above it were freed).
   *
   * @example
   * memory.blockLayout(); // { live: [{ address: 0, size: 64 }], free: [], top: 64 }
   */
  blockLayout(): { live: { address: number; size: number }[]; free: { address: number; size: number }[]; top: number } {
    const live = [...this.live]
      .map(([address, size]) => ({ address, size }))
      .sort((first, second) => first.address - second.address);
    return { live, free: this.freeList.map(({ address, size }) => ({ address, size })), top: this.top };
  }

  /** Whether `array` is a view of this memory: kernels then read and write it in place at {@link KernelMemory.addressOf}. */
  owns(array: Float32Array): boolean {
    return this.buffers.has(array.buffer);
  }

  /** The byte address in this memory of `array[0]` (for an array it {@link KernelMemory.owns}). */
  addressOf(array: Float32Array): number {
    return array.byteOffset;
  }

  /**
   * A zero-filled Float32Array of `length` elements in this memory, freed when it is
   * garbage-collected; `null` in scratch-only mode or when the memory cannot grow enough (the
   * caller then allocates an ordinary array, which kernels copy).
   */
  allocateFloat32(length: number): Float32Array | null {
    if (!this.resident || length === 0) return null;
    const address = this.allocate(length * 4, Math.min(scratchHeadroomBytes, this.maximumBytes / 8));
    if (address === null) return null;
    const array = new Float32Array(this.memory.buffer, address, length);
    this.remember(array.buffer);
    array.fill(0); // a reused block holds an earlier array's values
    const token = {};
    this.tokens.set(address, token);
    this.finalizers!.register(array, address, token);
    return array;
  }

  /**
   * The scratch region: at least `byteLength` bytes at a 64-byte aligned address, valid until the
   * next call. Kept and reused; reallocated (larger) only when a product needs more, so a
   * training loop of fixed shapes allocates it on the first step only. Throws an AnnetError
   * (`UNSUPPORTED`) when the memory cannot grow enough.
   */
  scratch(byteLength: number): number {
    if (byteLength <= this.scratchSize) return this.scratchAddress;
    if (this.scratchSize > 0) this.free(this.scratchAddress);
    const size = alignUp(Math.max(byteLength, this.scratchSize * 2));
    const address = this.allocate(size) ?? this.allocate(byteLength);
    if (address === null) {
      this.scratchSize = 0;
      throw new AnnetError(
        'UNSUPPORTED',
        'kernel memory',
        `cannot reserve ${byteLength} bytes of scratch (memory limit ${this.maximumBytes} bytes); split the product into smaller ones`,
      );
    }
    this.scratchAddress = address;
    this.scratchSize = this.live.get(address)!;
    return address;
  }

  /**
   * A float32 view of the whole memory, re-derived when the memory grew: an ordinary memory's old
   * view is detached by growth (length 0); a shared memory's old view is valid but too short.
   */
  float32(): Float32Array {
    const buffer = this.memory.buffer;
    if (this.view?.buffer !== buffer) {
      this.view = new Float32Array(buffer);
      this.remember(buffer);
    }
    return this.view;
  }

  /** Records a buffer object of this memory (for {@link KernelMemory.owns} and for aliasing checks across buffer objects). */
  private remember(buffer: ArrayBufferLike): void {
    this.buffers.add(buffer);
    recordBufferOfMemory(buffer, this);
  }

  /**
   * Reserves `requested` bytes (rounded up to a multiple of 64) and returns the address, or null
   * when the memory cannot grow that far while keeping `headroom` bytes below its limit.
   */
  private allocate(requested: number, headroom = 0): number | null {
    const size = alignUp(Math.max(requested, 1));
    const list = this.freeList;
    for (let index = 0; index < list.length; index++) {
      const block = list[index];
      if (block.size < size) continue;
      const address = block.address;
      if (block.size === size) list.splice(index, 1);
      else {
        block.address += size;
        block.size -= size;
      }
      this.live.set(address, size);
      return address;
    }
    const address = this.top;
    const end = address + size;
    if (end > this.maximumBytes - headroom) return null;
    const missing = end - this.memory.buffer.byteLength;
    if (missing > 0) {
      try {
        this.memory.grow(Math.ceil(missing / pageBytes));
      } catch {
        return null; // the engine refused to grow (address space or a lower limit than declared)
      }
    }
    this.top = end;
    this.live.set(address, size);
    return address;
  }

  /**
   * Returns a block to the free list, merging it with free neighbours; a block at the top lowers
   * the bump pointer. Called by the finalizer when a resident array is collected (and by tests):
   * freeing the block of an array still in use would let another array alias it.
   */
  free(address: number): void {
    const size = this.live.get(address);
    if (size === undefined) return;
    this.live.delete(address);
    const token = this.tokens.get(address);
    if (token !== undefined) {
      this.tokens.delete(address);
      this.finalizers?.unregister(token);
    }
    const list = this.freeList;
    let index = 0;
    while (index < list.length && list[index].address < address) index++;
    let block: FreeBlock = { address, size };
    const before = list[index - 1];
    if (before !== undefined && before.address + before.size === address) {
      before.size += size;
      block = before;
      index--;
    } else list.splice(index, 0, block);
    const after = list[index + 1];
    if (after !== undefined && block.address + block.size === after.address) {
      block.size += after.size;
      list.splice(index + 1, 1);
    }
    if (block.address + block.size === this.top) {
      this.top = block.address;
      list.splice(index, 1);
    }
  }
}
