import type { Model, Sequential } from '@annet/model';
import type { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import {
  demoModel,
  everyImageLayer,
  mergeGraph,
  randomInput,
  randomTokens,
  tokenModel,
  withRunningStatistics,
} from '../testing/model-zoo.js';
import { maxAbsDifference, runInOnnxRuntime, spread } from '../testing/onnx-runtime.js';
import { exportOnnx } from './export-onnx.js';
import { inspectOnnx } from './inspect-onnx.js';

/** Exports, runs in onnxruntime-node and returns the worst difference from annet's predictions over every output. */
async function worstDifference(
  model: Sequential | Model,
  inputs: Record<string, Tensor>,
  opset: number,
): Promise<number> {
  const bytes = exportOnnx(model, { opset });
  const results = await runInOnnxRuntime(bytes, inputs);
  const expected: Record<string, Tensor> =
    'predictNamed' in model ? model.predictNamed(inputs) : { output: model.predict(inputs.input) };
  let worst = 0;
  for (const [name, tensor] of Object.entries(expected)) {
    expect(results[name].dims, name).toEqual(tensor.shape);
    expect(spread(tensor.data), `${name} varies across samples and classes`).toBeGreaterThan(1e-3);
    worst = Math.max(worst, maxAbsDifference(results[name].data, tensor.data));
  }
  return worst;
}

const tolerance = 1e-5;

describe('exportOnnx, checked in onnxruntime-node 1.30 (CPU): max |annet − ORT| ≤ 1e-5 in float32', () => {
  it.each([13, 17, 20])(
    'every single-input image layer (Conv2D stride/dilation/padding, pools, BatchNorm, LayerNorm, every activation, Reshape), opset %i',
    async (opset) => {
      for (const approximateGelu of [false, true]) {
        const model = withRunningStatistics(everyImageLayer({ approximateGelu }).initialize(1), 2);
        expect(await worstDifference(model, { input: randomInput([7, 2, 9, 9], 3) }, opset)).toBeLessThanOrEqual(
          tolerance,
        );
      }
    },
  );

  it('Embedding → Gather on int32 ids', async () => {
    const model = tokenModel().initialize(4);
    expect(await worstDifference(model, { input: randomTokens([9, 5], 11, 5) }, 17)).toBeLessThanOrEqual(tolerance);
  });

  it('a graph with two named inputs, two named outputs, a shared layer and every merge layer', async () => {
    const model = withRunningStatistics(mergeGraph().initialize(6), 7);
    const inputs = { features: randomInput([5, 6], 8), image: randomInput([5, 3, 5, 5], 9) };
    expect(await worstDifference(model, inputs, 17)).toBeLessThanOrEqual(tolerance);
    const summary = inspectOnnx(exportOnnx(model));
    expect(summary.inputs).toEqual([
      { name: 'features', dims: ['batch', 6] },
      { name: 'image', dims: ['batch', 3, 5, 5] },
    ]);
    expect(summary.outputs).toEqual([
      { name: 'scores', dims: ['batch', 3] },
      { name: 'raw', dims: ['batch', 3] },
    ]);
  });

  it.each(['mlp', 'cnn', 'resnet'] as const)(
    "the demo's %s (apps/train-demo buildModel), on a batch of 3 and of 64 (dynamic batch)",
    async (name) => {
      const model = withRunningStatistics(demoModel(name).initialize(10), 11);
      const shape = name === 'mlp' ? [784] : [1, 28, 28];
      for (const batch of [3, 64]) {
        const inputs = {
          [name === 'resnet' ? model.inputNames[0] : 'input']: randomInput([batch, ...shape], 12 + batch),
        };
        expect(await worstDifference(model, inputs, 17)).toBeLessThanOrEqual(tolerance);
      }
    },
  );
});
