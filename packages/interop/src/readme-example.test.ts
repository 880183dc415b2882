import { Dense, Dropout } from '@annet/layers';
import { Sequential } from '@annet/model';
import { decodeSafetensors } from '@annet/serialization';
import { expect, it } from 'vitest';
import { exportOnnx, inspectOnnx } from './onnx.js';
import { encodeTorchStateDict } from './torch.js';

// The README's example, line for line.
it('runs the README example', () => {
  const model = new Sequential([new Dense(784, 128, { activation: 'relu' }), new Dropout(0.2), new Dense(128, 10)], {
    inputShape: [784],
  }).initialize(1);
  const onnx = exportOnnx(model, { opset: 17 });
  expect(inspectOnnx(onnx).operators).toEqual(['Gemm', 'Relu', 'Gemm', 'Identity']);
  const torchFile = encodeTorchStateDict(model);
  expect(Object.keys(decodeSafetensors(torchFile).tensors).sort()).toEqual([
    'dense_1.bias',
    'dense_1.weight',
    'dense_2.bias',
    'dense_2.weight',
  ]);
});
