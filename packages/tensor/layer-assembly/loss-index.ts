// The WebAssembly loss kernel module of @annet/tensor: softmax cross-entropy's forward and
// gradient over float32 logits in the kernel module's shared memory (it imports it). It allocates
// nothing (runtime stub); the loader passes byte addresses in.
export { softmaxCrossEntropyF32 } from './softmax-cross-entropy';
