// The WebAssembly kernel module of @annet/tensor. It allocates nothing (runtime stub): the
// TypeScript loader owns every byte above heapBase() and passes byte addresses in.
export { matmulF32, matmulScratchBytes, biasActivationF32 } from './matmul';

/** First free byte after the module's static data: the loader's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
