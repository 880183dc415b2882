import type { Parameter, ParameterMemory } from '@annet/layer-api';

/** A test stand-in for @annet/tensor's resident memory: a WebAssembly memory with a bump allocator. */
export interface TestMemory extends ParameterMemory {
  /** A float32 parameter whose value and gradient live in the memory, with `memory` set. */
  parameter(name: string, shape: readonly number[], values: ArrayLike<number>): Parameter;
  /** Bytes handed out so far. */
  readonly used: () => number;
}

/**
 * A shared (default) or ordinary WebAssembly memory of `pages` pages; `capacity` bytes may be
 * allocated (16-byte aligned, from byte 64), after which `allocateFloat32` returns null.
 */
export function testMemory(options: { pages?: number; shared?: boolean; capacity?: number } = {}): TestMemory {
  const pages = options.pages ?? 64;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: options.shared ?? true });
  const limit = Math.min(pages * 65536, 64 + (options.capacity ?? Number.POSITIVE_INFINITY));
  let next = 64;
  const allocateFloat32 = (length: number): Float32Array | null => {
    const bytes = Math.ceil((length * 4) / 16) * 16;
    if (next + bytes > limit) return null;
    const array = new Float32Array(memory.buffer, next, length);
    next += bytes;
    return array;
  };
  const self: TestMemory = {
    memory,
    allocateFloat32,
    used: () => next - 64,
    parameter(name, shape, values) {
      const value = allocateFloat32(values.length);
      const grad = allocateFloat32(values.length);
      if (value === null || grad === null) throw new Error('testMemory: out of room for the parameter');
      value.set(Array.from(values));
      return { name, shape: [...shape], value, grad, memory: self };
    },
  };
  return self;
}
