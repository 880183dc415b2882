import { describe, expect, it } from 'vitest';
import { AnnetError } from './errors.js';
import { activeKernels, useKernels } from './kernels/kernel-selection.js';
import { jsKernels } from './kernels/js-kernels.js';
import { matmul } from './ops/matmul.js';
import { sharesMemory } from './ops/validate.js';
import { residentParameterMemory, residentZeros } from './resident.js';
import { tensor } from './create.js';
import { createWasmKernels } from './kernels/wasm-kernels.js';
import { Tensor } from './tensor.js';

describe('residentZeros', () => {
  it("places float32 tensors in the wasm backend's shared memory, zero-filled, with the given shape", () => {
    expect(activeKernels().name).toMatch(/^wasm/); // Node 20 validates the SIMD module
    const x = residentZeros([2, 3]);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([2, 3]);
    expect(x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(x.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('gives ordinary arrays for float64 and under the TypeScript kernels', () => {
    expect(residentZeros([2], 'float64').data).toBeInstanceOf(Float64Array);
    expect(residentZeros([2], 'float64').data.buffer).toBeInstanceOf(ArrayBuffer);
    const previous = useKernels(jsKernels);
    try {
      expect(residentZeros([2]).data.buffer).toBeInstanceOf(ArrayBuffer);
    } finally {
      useKernels(previous);
    }
  });

  it('gives the same matmul result as ordinary tensors, written in place into a resident out', () => {
    // [[1,2],[3,4]]·[[5,6],[7,8]] = [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]] = [[19,22],[43,50]]
    const a = residentZeros([2, 2]);
    const b = residentZeros([2, 2]);
    a.data.set([1, 2, 3, 4]);
    b.data.set([5, 6, 7, 8]);
    const out = residentZeros([2, 2]);
    expect(matmul(a, b, { out })).toBe(out);
    expect(out.toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(
      matmul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([
          [5, 6],
          [7, 8],
        ]),
      ).toArray(),
    ).toEqual([
      [19, 22],
      [43, 50],
    ]);
  });

  it('still refuses an out that overlaps an input, comparing byte spans in the one shared memory', () => {
    // Every resident tensor lives in the same memory: only overlapping byte spans count as sharing.
    const a = residentZeros([2, 2]);
    const b = residentZeros([2, 2]);
    expect(() => matmul(a, b, { out: a })).toThrow('matmul: out shares memory with an input; pass a separate buffer');
    expect(() => matmul(a, b, { out: b.transpose() })).toThrow('matmul: out shares memory with an input');
    expect(sharesMemory(a, b)).toBe(false);
    const whole = residentZeros([4, 2]);
    const top = whole.slice([0, 2]);
    const bottom = whole.slice([2, 4]);
    expect(sharesMemory(top, bottom)).toBe(false); // disjoint halves of one array
    expect(sharesMemory(top, whole)).toBe(true);
    expect(sharesMemory(whole.slice([1, 3]), bottom)).toBe(true);
    // Ordinary arrays: different buffers never share, the same buffer shares where spans overlap.
    const plain = tensor([1, 2, 3, 4]);
    expect(sharesMemory(plain, tensor([1, 2, 3, 4]))).toBe(false);
    expect(sharesMemory(plain.slice([0, 2]), plain.slice([1, 3]))).toBe(true);
    expect(sharesMemory(plain.slice([0, 2]), plain.slice([2, 4]))).toBe(false);
  });

  it('never reports tensors of two different kernel memories as sharing memory (their addresses coincide)', () => {
    // Two backends each start handing out blocks at the same address: only the memory identity tells them apart.
    const first = createWasmKernels('simd', jsKernels);
    const second = createWasmKernels('simd', jsKernels);
    const a = new Tensor<'float32'>(first.allocateFloat32(4)!, [2, 2]);
    const b = new Tensor<'float32'>(second.allocateFloat32(4)!, [2, 2]);
    expect(a.data.byteOffset).toBe(b.data.byteOffset);
    expect(sharesMemory(a, b)).toBe(false);
    expect(sharesMemory(a, a.reshape([4]))).toBe(true);
    const previous = useKernels(second);
    try {
      const out = new Tensor<'float32'>(second.allocateFloat32(4)!, [2, 2]);
      a.data.set([1, 2, 3, 4]);
      b.data.set([1, 0, 0, 1]);
      expect(matmul(a, b, { out }).toArray()).toEqual([
        [1, 2],
        [3, 4],
      ]); // [[1,2],[3,4]]·I
    } finally {
      useKernels(previous);
    }
  });

  it('rejects a non-float dtype and a bad shape with errors naming residentZeros', () => {
    expect(() => residentZeros([2], 'int32' as 'float32')).toThrow(AnnetError);
    expect(() => residentZeros([2], 'int32' as 'float32')).toThrow(
      `residentZeros: dtype must be 'float32' or 'float64', got "int32"`,
    );
    expect(() => residentZeros([-1])).toThrow(/^residentZeros: /);
  });
});

describe('residentParameterMemory', () => {
  it('is the shared kernel memory for resident float32 arrays: their addresses are byte offsets into it', () => {
    const value = residentZeros([3, 5]).data;
    const grad = residentZeros([3, 5]).data;
    const parameterMemory = residentParameterMemory(value, grad);
    expect(parameterMemory).toBeDefined();
    const memory = parameterMemory!.memory;
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    // A write through the memory at the array's address is seen by the array: the same bytes.
    new Float32Array(memory.buffer, value.byteOffset, 1)[0] = 2.5;
    new Float32Array(memory.buffer, grad.byteOffset + 4 * 14, 1)[0] = -7;
    expect(value[0]).toBe(2.5);
    expect(grad[14]).toBe(-7);
    // One object per backend: every parameter names the same memory.
    expect(residentParameterMemory(residentZeros([2]).data)).toBe(parameterMemory);
  });

  it('lends zero-filled float32 arrays in the same memory, which survive its growth', () => {
    const value = residentZeros([4]).data;
    const parameterMemory = residentParameterMemory(value)!;
    const state = parameterMemory.allocateFloat32(6)!;
    expect(state).toBeInstanceOf(Float32Array);
    expect([...state]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(residentParameterMemory(value, state)).toBe(parameterMemory); // a view of the memory like a resident tensor
    state.set([1, 2, 3, 4, 5, 6]);
    const bytesBefore = parameterMemory.memory.buffer.byteLength;
    // 8 MiB more than is mapped forces the memory to grow; the earlier views keep their bytes.
    const large = parameterMemory.allocateFloat32(bytesBefore / 4 + 2 * 1024 * 1024);
    expect(large).not.toBeNull();
    expect(parameterMemory.memory.buffer.byteLength).toBeGreaterThan(bytesBefore);
    expect([...state]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Float32Array(parameterMemory.memory.buffer, state.byteOffset, 6)[5]).toBe(6);
  });

  it('is undefined unless every array is a float32 view of a shared kernel memory', () => {
    const resident = residentZeros([2]).data;
    expect(residentParameterMemory(residentZeros([2], 'float64').data)).toBeUndefined();
    expect(residentParameterMemory(new Float32Array(2))).toBeUndefined();
    expect(residentParameterMemory(resident, new Float32Array(2))).toBeUndefined(); // one array fell back to ordinary memory
    // Another backend's memory is not the active one's.
    const other = createWasmKernels('simd', jsKernels);
    expect(residentParameterMemory(other.allocateFloat32(2)!)).toBeUndefined();
    // The TypeScript kernels have no memory; the copying backend's ordinary memory detaches views when it grows.
    for (const kernels of [jsKernels, createWasmKernels('simd', jsKernels, { shared: false })]) {
      const previous = useKernels(kernels);
      try {
        const value = residentZeros([2]).data;
        expect(value.buffer).toBeInstanceOf(ArrayBuffer);
        expect(residentParameterMemory(value)).toBeUndefined();
        expect(residentParameterMemory(resident)).toBeUndefined();
      } finally {
        useKernels(previous);
      }
    }
  });
});
