import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayerConfig } from '@annet/layer-api';
import { Dense, ReLU } from '@annet/layers';
import { gptModel, Sequential } from '@annet/model';
import { decodeSafetensors, encodeSafetensors } from '@annet/serialization';
import { AnnetError, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { demoModel, mergeGraph, randomInput, randomTokens, withRunningStatistics } from '../testing/model-zoo.js';
import { maxAbsDifference, spread } from '../testing/onnx-runtime.js';
import { torchTwins, type TorchTwinName } from '../testing/torch-twins.js';
import { decodeTorchStateDict, encodeTorchStateDict, fromTorchStateDict, toTorchStateDict } from './state-dict.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const read = (file: string) =>
  decodeSafetensors(new Uint8Array(fs.readFileSync(path.join(fixtures, file))), { source: file, copy: true }).tensors;
const names = Object.keys(torchTwins) as TorchTwinName[];
/** The input an annet → torch fixture uses: seeded, so the test can rebuild it. */
const annetInput = (name: TorchTwinName, seed: number) =>
  name === 'tokens' || name === 'tagger'
    ? randomTokens([6, ...torchTwins[name].sample], name === 'tokens' ? 11 : 30, seed)
    : randomInput([6, ...torchTwins[name].sample], seed);

function errorOf(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    if (error instanceof AnnetError) return error;
    throw error;
  }
  throw new Error('expected an AnnetError');
}

describe('PyTorch state dicts, against fixtures made by torch 1.13 (fixtures/make-torch-fixtures.py)', () => {
  it.each(names)("torch → annet: %s loads the torch state_dict and predicts torch's outputs within 1e-5", (name) => {
    const model = torchTwins[name].build();
    decodeTorchStateDict(model, new Uint8Array(fs.readFileSync(path.join(fixtures, `torch-${name}.safetensors`))));
    const { input, output } = read(`torch-${name}-io.safetensors`);
    const predicted = model.predict(input);
    expect(predicted.shape).toEqual(output.shape);
    expect(spread(output.data)).toBeGreaterThan(1e-3);
    expect(maxAbsDifference(predicted.data, output.data)).toBeLessThanOrEqual(1e-5);
  });

  it.each(names)(
    "annet → torch: %s's state dict loads into torch with strict=True and torch predicts annet's outputs within 1e-5",
    (name) => {
      const seed = names.indexOf(name) + 20;
      const model = withRunningStatistics(torchTwins[name].build().initialize(seed), seed);
      const input = annetInput(name, seed);
      const bytes = encodeTorchStateDict(model);
      const inputBytes = encodeSafetensors({ input });
      if (process.env.ANNET_WRITE_FIXTURES === '1') {
        fs.writeFileSync(path.join(fixtures, `annet-${name}.safetensors`), bytes);
        fs.writeFileSync(path.join(fixtures, `annet-${name}-input.safetensors`), inputBytes);
      }
      // The committed files are exactly what annet writes today, so torch's outputs below are for these weights.
      expect(Buffer.from(bytes).equals(fs.readFileSync(path.join(fixtures, `annet-${name}.safetensors`)))).toBe(true);
      expect(
        Buffer.from(inputBytes).equals(fs.readFileSync(path.join(fixtures, `annet-${name}-input.safetensors`))),
      ).toBe(true);
      const { output } = read(`annet-${name}-torch-output.safetensors`);
      expect(spread(output.data)).toBeGreaterThan(1e-3);
      expect(maxAbsDifference(model.predict(input).data, output.data)).toBeLessThanOrEqual(1e-5);
    },
  );
});

describe('toTorchStateDict / fromTorchStateDict', () => {
  it('names and lays out arrays as torch does: Linear [out, in], Conv2d OIHW, BatchNorm running_mean/var/num_batches_tracked', () => {
    const tensors = toTorchStateDict(torchTwins.norms.build());
    expect(Object.fromEntries(Object.entries(tensors).map(([name, tensor]) => [name, tensor.shape]))).toEqual({
      'conv2d_1.weight': [4, 1, 3, 3],
      'conv2d_1.bias': [4],
      'batch_norm_1.weight': [4],
      'batch_norm_1.bias': [4],
      'batch_norm_1.running_mean': [4],
      'batch_norm_1.running_var': [4],
      'batch_norm_1.num_batches_tracked': [],
      'dense_1.weight': [10, 64],
      'dense_1.bias': [10],
      'batch_norm_2.weight': [10],
      'batch_norm_2.bias': [10],
      'batch_norm_2.running_mean': [10],
      'batch_norm_2.running_var': [10],
      'batch_norm_2.num_batches_tracked': [],
      'layer_norm_1.weight': [10],
      'layer_norm_1.bias': [10],
      'dense_2.weight': [3, 10],
      'dense_2.bias': [3],
    });
    // W[out][in] of torch is the annet kernel's [in][out].
    const dense = new Sequential([new Dense(2, 3)]).initialize(1);
    const weight = toTorchStateDict(dense)['dense_1.weight'];
    const kernel = dense.parameters()[0].value;
    expect(weight.shape).toEqual([3, 2]);
    expect(weight.get(2, 1)).toBe(kernel[1 * 3 + 2]);
  });

  it('round-trips a graph model (shared layer, merges) and the residual CNN through torch names', () => {
    for (const build of [() => mergeGraph(), () => demoModel('resnet')]) {
      const source = withRunningStatistics(build().initialize(3), 4);
      const target = build().initialize(5);
      fromTorchStateDict(target, toTorchStateDict(source));
      target
        .parameters()
        .forEach((parameter, index) =>
          expect(Array.from(parameter.value), parameter.name).toEqual(Array.from(source.parameters()[index].value)),
        );
      target
        .buffers()
        .forEach((buffer, index) =>
          expect(Array.from(buffer.value), buffer.name).toEqual(Array.from(source.buffers()[index].value)),
        );
    }
  });

  it("writes a tied output projection under both torch names (GPT-2's lm_head.weight = wte.weight) and reads it back", () => {
    const model = gptModel({
      vocabularySize: 11,
      blockSize: 4,
      embeddingSize: 8,
      numLayers: 1,
      numHeads: 2,
    }).initialize(1);
    const tensors = toTorchStateDict(model);
    expect(tensors['lm_head.weight'].shape).toEqual([11, 8]);
    expect(Array.from(tensors['lm_head.weight'].data)).toEqual(Array.from(tensors['wte.weight'].data));
    const inProjections = Object.keys(tensors).filter((name) => name.endsWith('.in_proj_weight'));
    expect(inProjections.map((name) => tensors[name].shape)).toEqual([[24, 8]]); // W_qkvᵀ: [3E, E], as nn.MultiheadAttention
    const copy = gptModel({ vocabularySize: 11, blockSize: 4, embeddingSize: 8, numLayers: 1, numHeads: 2 }).initialize(
      2,
    );
    fromTorchStateDict(copy, tensors);
    copy
      .parameters()
      .forEach((parameter, index) =>
        expect(Array.from(parameter.value), parameter.name).toEqual(Array.from(model.parameters()[index].value)),
      );
  });

  it('lists every missing, unexpected and mis-shaped tensor in one error and changes nothing', () => {
    const model = torchTwins.norms.build().initialize(1);
    const before = model.parameters().map((parameter) => Array.from(parameter.value));
    const { 'dense_2.bias': _missing, ...tensors } = toTorchStateDict(
      withRunningStatistics(torchTwins.norms.build().initialize(2), 3),
    );
    const annetLayout = new Tensor(new Float32Array(640), [64, 10]);
    const error = errorOf(() =>
      fromTorchStateDict(model, {
        ...tensors,
        'dense_1.weight': annetLayout,
        'conv2d_1.bias': new Tensor(new Float32Array(5), [5]),
        'head.weight': annetLayout,
      }),
    );
    expect(error.code).toBe('INVALID_STATE');
    expect(error.message).toBe(
      'fromTorchStateDict: the state dict does not fit model "norms" (nothing was loaded): conv2d_1.bias has shape [5], expected [4]; ' +
        "dense_1.weight has shape [64,10], expected [10,64] (annet's [in, out] layout: a torch nn.Linear weight is [out, in]); dense_2.bias is missing; head.weight is not in the model (unexpected)",
    );
    expect(model.parameters().map((parameter) => Array.from(parameter.value))).toEqual(before);
  });

  it('refuses a layer with arrays but no torch mapping, naming it', () => {
    /** A custom layer with a parameter (a Dense under another class name). */
    class Scale extends Dense {
      override getConfig(): LayerConfig {
        return { ...super.getConfig(), className: 'Scale' };
      }
    }
    const custom = new Sequential([new Scale(2, 2, { name: 'scale' }), new ReLU()]);
    expect(errorOf(() => toTorchStateDict(custom)).message).toContain(
      'toTorchStateDict: model "sequential" has arrays without a PyTorch mapping: scale (Scale); mapped layer classes: Dense, Conv2D, BatchNorm, LayerNorm, Embedding',
    );
    expect(errorOf(() => fromTorchStateDict(custom, {})).code).toBe('UNSUPPORTED');
  });
});
