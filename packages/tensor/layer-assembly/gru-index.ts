// The WebAssembly module of the GRU cell in @annet/tensor: the elementwise part of a GRU step
// (gate activations, h′ and their gradients), like recurrent-index.ts's LSTM cell; a module of
// its own, as the two cells together come to 7.3 KB, over the 4 KiB that browsers compile
// synchronously on the main thread.
export { gruCellBackwardF32, gruCellForwardF32 } from './gru-cell';
