import { Conv2D, Dense, Flatten, LayerNorm, MaxPool2D, ReLU } from '@annet/layers';
import { Sequential } from '@annet/model';
import { cast, createRng, randomUniform } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { maxAbsDifference, runInOnnxRuntime } from '../testing/onnx-runtime.js';
import { exportOnnx } from './export-onnx.js';
import { inspectOnnx } from './inspect-onnx.js';

const dtype = 'float64' as const;

describe('exportOnnx of a float64 model', () => {
  it("writes float32 by default (ONNX Runtime has no double Conv), within 1e-5 of annet's float64 predictions", async () => {
    const model = new Sequential(
      [
        new Conv2D(1, 2, 3, { dtype, padding: 'same' }),
        new MaxPool2D(2, { dtype }),
        new Flatten({ dtype }),
        new Dense(8, 4, { dtype }),
        new LayerNorm(4, { dtype }),
        new ReLU({ dtype }),
      ],
      { inputShape: [1, 4, 4] },
    ).initialize(1);
    const input = randomUniform([3, 1, 4, 4], createRng(2), { dtype });
    const { output } = await runInOnnxRuntime(exportOnnx(model), { input: cast(input, 'float32') });
    expect(output.data).toBeInstanceOf(Float32Array);
    expect(maxAbsDifference(output.data, model.predict(input).data)).toBeLessThanOrEqual(1e-5);
  });

  it('writes double tensors with { floatType: "float64" }, which ONNX Runtime runs within 1e-10 for Gemm and LayerNorm', async () => {
    const model = new Sequential(
      [new Dense(3, 4, { dtype, activation: 'tanh' }), new LayerNorm(4, { dtype }), new Dense(4, 2, { dtype })],
      { inputShape: [3] },
    ).initialize(3);
    const input = randomUniform([5, 3], createRng(4), { dtype });
    const bytes = exportOnnx(model, { floatType: 'float64' });
    expect(inspectOnnx(bytes).inputs).toEqual([{ name: 'input', dims: ['batch', 3] }]);
    const { output } = await runInOnnxRuntime(bytes, { input });
    expect(output.data).toBeInstanceOf(Float64Array);
    expect(maxAbsDifference(output.data, model.predict(input).data)).toBeLessThanOrEqual(1e-10);
  });
});
