// @annet/interop/onnx: export annet models to ONNX for ONNX Runtime and every other ONNX engine.
export { exportOnnx, type ExportOnnxOptions } from './onnx/export-onnx.js';
export { onnxConverters } from './onnx/converters.js';
export type { LayerCall, LayerConverter } from './onnx/layer-conversion.js';
export { OnnxGraph } from './onnx/onnx-graph.js';
export { inspectOnnx, type OnnxSummary } from './onnx/inspect-onnx.js';
