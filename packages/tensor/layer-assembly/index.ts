// The WebAssembly layer kernel module of @annet/tensor: the non-matmul passes of layers
// (activations, softmax, normalization) over float32 arrays in the kernel module's shared memory
// (it imports it), so layers run them on resident arrays in place. It allocates nothing (runtime
// stub); the loader passes byte addresses in.
export { geluTanhF32 } from './gelu-tanh';
export { layerNormBackwardF32, layerNormForwardF32 } from './layer-norm';
export { maskedSoftmaxBackwardF32, maskedSoftmaxF32 } from './masked-softmax';
export { addF32, columnSumsF32, multiplyF32 } from './elementwise';
