import * as ort from 'onnxruntime-node';
import type { Tensor } from '@annet/tensor';

/** Runs ONNX bytes in onnxruntime-node (CPU) on named annet tensors; returns each output's values and dims. */
export async function runInOnnxRuntime(
  bytes: Uint8Array,
  inputs: Readonly<Record<string, Tensor>>,
): Promise<Record<string, { data: Float32Array | Float64Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(inputs)) {
      const data = tensor.contiguous().data.slice();
      feeds[name] = new ort.Tensor(tensor.dtype, data as Float32Array, tensor.shape.slice());
    }
    const results = await session.run(feeds);
    const outputs: Record<string, { data: Float32Array | Float64Array; dims: readonly number[] }> = {};
    for (const [name, value] of Object.entries(results))
      outputs[name] = { data: value.data as Float32Array, dims: value.dims };
    return outputs;
  } finally {
    await session.release();
  }
}

/** max |a − b| over two equally long arrays (Infinity when a length differs or a value is not finite). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let index = 0; index < a.length; index++) {
    const difference = Math.abs(a[index] - b[index]);
    if (!(difference <= worst)) worst = Number.isFinite(difference) ? difference : Infinity;
  }
  return worst;
}

/** The standard deviation of the values: a test checks it is not ~0, so a comparison is not vacuous. */
export function spread(values: ArrayLike<number>): number {
  let mean = 0;
  for (let index = 0; index < values.length; index++) mean += values[index] / values.length;
  let variance = 0;
  for (let index = 0; index < values.length; index++) variance += (values[index] - mean) ** 2 / values.length;
  return Math.sqrt(variance);
}
