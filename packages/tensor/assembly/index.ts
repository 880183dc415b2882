// The WebAssembly kernel module of @annet/tensor. It allocates nothing (runtime stub): the
// TypeScript loader owns every byte above heapBase() and passes byte addresses in.
export { matmulF32, matmulScratchBytes } from './matmul';
// The register tile, as immutable i32 globals: the loader splits products between threads in
// multiples of it (src/kernels/matmul-job.ts reads them), so the sizes live here only.
export { MR as tileRows, NR as tileColumns } from './blocking';

/** First free byte after the module's static data: the loader's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
