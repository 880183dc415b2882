/**
 * @annet/interop: a model leaves annet. ONNX export (`@annet/interop/onnx`) and PyTorch state
 * dicts (`@annet/interop/torch`); this entry re-exports both. Browser-safe, no runtime dependency
 * outside annet.
 */
export * from './onnx.js';
export * from './torch.js';
