import { expect, it } from 'vitest';
import { kernelInfo, matmul, setKernels, tensor } from './index.js';

// The README's kernelInfo/setKernels example, line for line (console.log collects here).
it('runs the README kernels example', () => {
  const logged: unknown[][] = [];
  const console = { log: (...values: unknown[]) => void logged.push(values) };

  const info = kernelInfo(); // plain data: a worker can postMessage it to its page
  console.log(info.kind, info.memory); // 'simd' 'shared' on Node 20; 'relaxed-simd' and 'shared' or 'copied' in Chromium
  console.log(info.reason); // 'WebAssembly SIMD validates and instantiates here'
  setKernels('simd'); // the same kernels, hence the same bits, in a browser and in Node
  console.log(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray()); // [[11]]
  setKernels('auto');

  expect(structuredClone(info)).toEqual(info);
  if (process.env.ANNET_BACKEND !== 'js') expect(logged[0][1]).toBe('shared');
  expect(logged[2]).toEqual([[[11]]]);
});
