// The WebAssembly module of the other passes of convolutional networks in @annet/tensor:
// BatchNorm's sums and elementwise passes and ReLU, over float32 arrays in the kernel module's
// shared memory (see image-index.ts for why it is a module of its own).
export { batchNormGradientSumsF32, batchNormInputGradientF32, batchNormNormalizeF32, channelSumsF32 } from './batch-norm';
export { reluBackwardF32, reluF32 } from './relu';
