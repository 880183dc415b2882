// The second WebAssembly layer kernel module of @annet/tensor: the passes of convolutional
// networks around their matmuls (im2col and col2im, BatchNorm, ReLU), over float32 arrays in the
// kernel module's shared memory, like index.ts's module. A module of its own so each stays under
// the 4 KiB that browsers compile synchronously on the main thread.
export { col2imF32, im2colF32 } from './im2col';
export { batchNormGradientSumsF32, batchNormInputGradientF32, batchNormNormalizeF32, channelSumsF32 } from './batch-norm';
export { reluBackwardF32, reluF32 } from './relu';
export { transposeBlocksF32 } from './transpose-blocks';
