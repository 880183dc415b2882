import type { Tensor } from '@annet/tensor';
import { floatData } from '../buffers.js';
import { activateInPlace, checkDenseActivation, type DenseActivation } from '../core/dense-activation.js';
import { addChannelBias, addChannelBiasRelu } from './channel-sums.js';

/**
 * Returns `activation` (default `'linear'`) when Conv2D supports it (the same names as Dense:
 * `'linear'`, `'relu'`, `'sigmoid'`, `'tanh'`); otherwise throws an INVALID_ARGUMENT AnnetError
 * naming the layer, the value and the supported names.
 *
 * @example
 * checkConvActivation('Conv2D "conv2d"', 'relu'); // 'relu'
 * checkConvActivation('Conv2D "conv2d"', 'elu');  // throws: add an ELU layer after the Conv2D
 */
export function checkConvActivation(operation: string, activation: unknown): DenseActivation {
  return checkDenseActivation(operation, activation, 'Conv2D', 'new ELU()');
}

/**
 * The end of a Conv2D forward pass, in place over y = W·X of shape [N, F, H′W′] (offset 0, the
 * layer's own buffer): y = f(y + b), with the bias (when there is one) and a ReLU in one pass,
 * a sigmoid or tanh in a second. Each gives the bits of the bias add followed by the matching
 * activation layer.
 *
 * @example
 * convEpilogue('relu', workspace.outputColumns, conv.biases);
 */
export function convEpilogue(activation: DenseActivation, output: Tensor, biases: Tensor | undefined): void {
  const batch = output.shape[0];
  const channels = output.shape[1];
  const positions = output.shape[2];
  const values = floatData(output);
  if (activation === 'relu') {
    addChannelBiasRelu(
      values,
      0,
      batch,
      channels,
      positions,
      biases === undefined ? undefined : floatData(biases),
      biases?.offset ?? 0,
    );
    return;
  }
  if (biases !== undefined) addChannelBias(values, 0, batch, channels, positions, floatData(biases), biases.offset);
  if (activation !== 'linear') activateInPlace(activation, values, output.size);
}
