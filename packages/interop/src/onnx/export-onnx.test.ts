import type { LayerConfig } from '@annet/layer-api';
import { BatchNorm, defaultLayerRegistry, Dense, LayerNorm, ReLU } from '@annet/layers';
import { Sequential } from '@annet/model';
import { encodeSafetensors } from '@annet/serialization';
import { AnnetError, zeros } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { demoModel, everyImageLayer, mergeGraph, randomInput, tokenModel } from '../testing/model-zoo.js';
import { maxAbsDifference, runInOnnxRuntime } from '../testing/onnx-runtime.js';
import { onnxConverters } from './converters.js';
import { exportOnnx } from './export-onnx.js';
import { inspectOnnx } from './inspect-onnx.js';

/** A layer annet has and ONNX export does not know (stands for any custom layer). */
class Square extends ReLU {
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), className: 'Square' };
  }
}

function errorOf(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    if (error instanceof AnnetError) return error;
    throw error;
  }
  throw new Error('expected an AnnetError');
}

describe('exportOnnx', () => {
  it('has a conversion for every layer of @annet/layers but SequenceMask, InitialState and FinalState (not exported yet)', () => {
    const notExported = ['SequenceMask', 'InitialState', 'FinalState'];
    expect(Object.keys(onnxConverters).sort()).toEqual(
      Object.keys(defaultLayerRegistry)
        .filter((name) => !notExported.includes(name))
        .sort(),
    );
    // The runtime tests use each converter: here the non-sequence ones, sequence-models.test.ts the rest.
    const used = new Set(
      [everyImageLayer(), tokenModel(), mergeGraph()].flatMap((model) =>
        model.layers.map((layer) => layer.getConfig().className as string),
      ),
    );
    const sequenceLayers = [
      'SimpleRNN',
      'LSTM',
      'GRU',
      'Bidirectional',
      'MultiHeadAttention',
      'PositionalEmbedding',
      'SinusoidalPositionalEncoding',
      'TransposedEmbedding',
    ];
    expect([...used, ...sequenceLayers].sort()).toEqual(Object.keys(onnxConverters).sort());
  });

  it('writes the MLP as Gemm/Relu nodes (ReLU fused in Dense, Dropout gone) with named, batch-dynamic input and output, weights named after annet parameters', () => {
    const summary = inspectOnnx(exportOnnx(demoModel('mlp').initialize(1)));
    expect(summary).toMatchObject({ irVersion: 8, producerName: 'annet', opset: 17, graphName: 'mlp' });
    expect(summary.operators).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Identity']);
    expect(summary.inputs).toEqual([{ name: 'input', dims: ['batch', 784] }]);
    expect(summary.outputs).toEqual([{ name: 'output', dims: ['batch', 10] }]);
    expect(summary.initializers).toEqual([
      'dense_1.weights',
      'dense_1.biases',
      'dense_2.weights',
      'dense_2.biases',
      'dense_3.weights',
      'dense_3.biases',
    ]);
  });

  it('uses LayerNormalization from opset 17 and Gelu from 20, decomposed ops below', () => {
    const operators = (opset: number) => inspectOnnx(exportOnnx(everyImageLayer().initialize(1), { opset })).operators;
    expect(operators(13)).not.toContain('LayerNormalization');
    expect(operators(13)).toContain('ReduceMean');
    expect(operators(17)).toContain('LayerNormalization');
    expect(operators(17)).toContain('Erf');
    expect(operators(20)).toContain('Gelu');
    expect(operators(17).filter((op) => op === 'Dropout')).toEqual([]);
    expect(inspectOnnx(exportOnnx(tokenModel())).operators[0]).toBe('Gather');
    expect(inspectOnnx(exportOnnx(mergeGraph())).operators).toEqual(
      expect.arrayContaining(['Sum', 'Sub', 'Mul', 'Mean', 'Max', 'Concat', 'GlobalAveragePool']),
    );
  });

  it('refuses every layer without a conversion in one UNSUPPORTED error naming each and the exportable classes', () => {
    const model = new Sequential(
      [new Dense(2, 3), new Square({ name: 'square_a' }), new Square({ name: 'square_b' })],
      { inputShape: [2] },
    );
    const error = errorOf(() => exportOnnx(model));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain(
      'exportOnnx: model "sequential" has layers without an ONNX conversion: square_a (Square), square_b (Square); exportable layer classes: Dense, Conv2D,',
    );
  });

  it('exports a custom layer through an added converter, and runs it', async () => {
    const model = new Sequential([new Dense(2, 3), new Square()], { inputShape: [2] }).initialize(2);
    const converters = { ...onnxConverters, Square: onnxConverters.ReLU };
    const bytes = exportOnnx(model, { converters });
    const inputs = randomInput([4, 2], 3);
    const { output } = await runInOnnxRuntime(bytes, { input: inputs });
    expect(maxAbsDifference(output.data, model.predict(inputs).data)).toBeLessThanOrEqual(1e-6);
  });

  it('refuses an unknown opset, a Sequential of unknown input shape, and a non-model', () => {
    expect(errorOf(() => exportOnnx(demoModel('mlp'), { opset: 9 })).message).toBe(
      'exportOnnx: opset 9 is not supported; pass an opset from 13 to 21 (default 17)',
    );
    const unknownShape = new Sequential([new BatchNorm(3), new LayerNorm(3)]);
    expect(errorOf(() => exportOnnx(unknownShape)).message).toContain(
      'does not know its input shape; pass exportOnnx(model, { inputShape: [...] })',
    );
    expect(inspectOnnx(exportOnnx(unknownShape, { inputShape: [3], inputName: 'x', outputName: 'y' })).inputs).toEqual([
      { name: 'x', dims: ['batch', 3] },
    ]);
    expect(errorOf(() => exportOnnx({} as never)).code).toBe('INVALID_ARGUMENT');
  });
});

describe('inspectOnnx', () => {
  it('refuses bytes that are not an ONNX model with a PARSE_ERROR', () => {
    for (const bytes of [
      encodeSafetensors({ w: zeros([2]) }),
      new TextEncoder().encode('{"not": "onnx"}'),
      new Uint8Array([0x08, 0x96]),
      new Uint8Array(0),
    ]) {
      const error = errorOf(() => inspectOnnx(bytes, 'weights.bin'));
      expect(error.code).toBe('PARSE_ERROR');
      expect(error.message).toMatch(/^inspectOnnx: weights\.bin: not an ONNX model/);
    }
    const truncated = exportOnnx(demoModel('mlp')).subarray(0, 1000);
    expect(errorOf(() => inspectOnnx(truncated)).code).toBe('PARSE_ERROR');
  });
});
