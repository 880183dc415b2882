// The WebAssembly module of recurrent cells in @annet/tensor: the elementwise part of an LSTM
// step (gate activations, cell update and their gradients) over float32 arrays in the kernel
// module's shared memory, like index.ts's module. A module of its own so each stays under the
// 4 KiB that browsers compile synchronously on the main thread.
export { lstmCellBackwardF32, lstmCellForwardF32 } from './lstm-cell';
