// The WebAssembly module of convolution lowering in @annet/tensor: im2col and col2im (in both
// column layouts), the block transposes of the whole-batch way and 2x2 max pooling, over float32 arrays in the
// kernel module's shared memory, like index.ts's module. Modules of their own so each stays
// under the 4 KiB that browsers compile synchronously on the main thread, at -O3 (-O3s, which
// made one module of these and image-norm-index.ts fit, ran im2col at half the speed).
export { col2imF32, im2colF32 } from './im2col';
export { transposeBlocksF32 } from './transpose-blocks';
export { maxPool2x2F32, maxUnpool2x2F32 } from './max-pool';
