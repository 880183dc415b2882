import { optimizerTensorName, parseCheckpointTensorName } from '@annet/serialization';
import type { Tensor } from '@annet/tensor';

// Every name a training checkpoint gives a tensor is built and parsed in this file (or, for the
// model's `model.<name>`, by `modelTensorName` of @annet/serialization): an optimizer array is
// `optimizer.<parameter>.<slot>`, a callback's array `callback.<callback name>.<key>`.
const callbackPrefix = 'callback.';

/**
 * The checkpoint name of an optimizer state array, from its `stateDict()` key `<parameter>.<slot>`
 * (slots hold no dot, so the key splits at its last one).
 *
 * @example
 * optimizerArrayTensorName('dense_1.weights.firstMoment'); // 'optimizer.dense_1.weights.firstMoment'
 */
export function optimizerArrayTensorName(key: string): string {
  const lastDot = key.lastIndexOf('.');
  return optimizerTensorName(key.slice(0, lastDot), key.slice(lastDot + 1));
}

/**
 * The optimizer's arrays among a checkpoint's tensors, keyed as `stateDict()` keys them
 * (`<parameter>.<slot>`): the inverse of {@link optimizerArrayTensorName}.
 *
 * @example
 * optimizerArraysOf(checkpoint.tensors)['dense_1.weights.firstMoment']; // the tensor 'optimizer.dense_1.weights.firstMoment'
 */
export function optimizerArraysOf(tensors: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
  const arrays: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(tensors)) {
    const parsed = parseCheckpointTensorName(name);
    if (parsed.kind === 'optimizer') arrays[`${parsed.parameterName}.${parsed.slot}`] = tensor;
  }
  return arrays;
}

/**
 * The checkpoint name of one of a callback's arrays (`getTensors()` key `key`).
 *
 * @example
 * callbackTensorName('earlyStopping', 'dense_1.weights'); // 'callback.earlyStopping.dense_1.weights'
 */
export function callbackTensorName(callbackName: string, key: string): string {
  return `${callbackPrefix}${callbackName}.${key}`;
}

/**
 * One callback's arrays among a checkpoint's tensors, keyed as its `getTensors()` keyed them: the
 * inverse of {@link callbackTensorName}.
 *
 * @example
 * callbackTensorsOf(checkpoint.tensors, 'earlyStopping'); // { 'dense_1.weights': Tensor, ... }
 */
export function callbackTensorsOf(
  tensors: Readonly<Record<string, Tensor>>,
  callbackName: string,
): Record<string, Tensor> {
  const prefix = callbackTensorName(callbackName, '');
  const result: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(tensors))
    if (name.startsWith(prefix)) result[name.slice(prefix.length)] = tensor;
  return result;
}
