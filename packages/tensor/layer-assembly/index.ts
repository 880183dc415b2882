// The WebAssembly layer kernel module of @annet/tensor: the non-matmul passes of layers (activations, softmax, normalization) that run on
// the kernel module's shared memory (it imports it), so layers apply them to resident arrays in
// place. It allocates nothing (runtime stub); the loader passes byte addresses in.
export { geluTanhF32 } from './gelu-tanh';
