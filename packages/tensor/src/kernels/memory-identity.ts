/**
 * Which memory an ArrayBuffer or SharedArrayBuffer is a view of. A growing shared
 * WebAssembly.Memory hands out a new SharedArrayBuffer object after each growth, all aliasing the
 * same bytes from address 0, so buffer identity cannot tell whether two arrays may overlap; the
 * kernel memory records each buffer it shows here, under one token per memory.
 */
const memoryOf = new WeakMap<ArrayBufferLike, object>();

/**
 * Records that `buffer` is a view of the memory identified by `token` (one object per memory).
 *
 * @example
 * recordBufferOfMemory(memory.buffer, kernelMemory);
 */
export function recordBufferOfMemory(buffer: ArrayBufferLike, token: object): void {
  memoryOf.set(buffer, token);
}

/**
 * Whether two buffers are views of the same bytes: the same object, or two buffers a kernel
 * memory recorded under the same token (addresses then compare directly, as byte offsets from 0).
 *
 * @example
 * sameMemory(a.data.buffer, b.data.buffer); // true for two resident tensors of one backend
 */
export function sameMemory(first: ArrayBufferLike, second: ArrayBufferLike): boolean {
  if (first === second) return true;
  const token = memoryOf.get(first);
  return token !== undefined && token === memoryOf.get(second);
}
