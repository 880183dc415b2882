import fc from 'fast-check';
import { AnnetError, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../activations/relu.js';
import { Sigmoid } from '../activations/sigmoid.js';
import { Tanh } from '../activations/tanh.js';
import type { BaseLayer } from '../base-layer.js';
import { defaultLayerRegistry, layerFromConfig } from '../registry/layer-registry.js';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { addChannelBiasRelu } from './channel-sums.js';
import { Conv2D } from './conv2d.js';

const nonLinear = ['relu', 'sigmoid', 'tanh'] as const;

/** The activation layer Conv2D's option stands for. */
function activationLayer(activation: (typeof nonLinear)[number]): BaseLayer {
  return activation === 'relu' ? new ReLU() : activation === 'sigmoid' ? new Sigmoid() : new Tanh();
}

const values = (tensor: Tensor) => Array.from(tensor.data.subarray(tensor.offset, tensor.offset + tensor.size));

describe('Conv2D activation', () => {
  it('applies ReLU to W ⊛ x + b, worked by hand', () => {
    // 1x1 kernel [2], bias −3 on x = [1, 2]: z = [−1, 1] → y = [0, 1]; dY = [5, 7] → dZ = [0, 7],
    // so dW = Σ dZ·x = 7·2 = 14 and db = 7.
    const conv = new Conv2D(1, 1, 1, { dtype: 'float64', activation: 'relu' });
    conv.weights.data.set([2]);
    conv.biases!.data.set([-3]);
    const y = conv.forward(new Tensor(new Float64Array([1, 2]), [1, 1, 1, 2]));
    expect(values(y)).toEqual([0, 1]);
    expect(values(conv.backward(new Tensor(new Float64Array([5, 7]), [1, 1, 1, 2])))).toEqual([0, 14]);
    expect(Array.from(conv.parameters()[0].grad)).toEqual([14]);
    expect(Array.from(conv.parameters()[1].grad)).toEqual([7]);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    for (const activation of nonLinear) {
      it(`equals Conv2D then the ${activation} layer bit for bit in ${dtype} (forward and every gradient)`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 2 }),
            fc.integer({ min: 1, max: 3 }),
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 3, max: 8 }),
            fc.integer({ min: 1, max: 3 }),
            fc.constantFrom('valid' as const, 'same' as const),
            fc.boolean(),
            fc.integer({ min: 0, max: 1e6 }),
            (batchSize, inChannels, outChannels, size, kernelSize, padding, useBias, seed) => {
              const options = { dtype, padding, useBias, seed, biasInitializer: 'normal' as const };
              const fused = new Conv2D(inChannels, outChannels, kernelSize, { ...options, activation });
              const plain = new Conv2D(inChannels, outChannels, kernelSize, options);
              const after = activationLayer(activation);
              const input = randomInput([batchSize, inChannels, size, size], seed);
              const x = dtype === 'float64' ? input : new Tensor(Float32Array.from(input.data), input.shape);
              const y = fused.forward(x, { training: true });
              const expectedY = after.forward(plain.forward(x, { training: true }), { training: true });
              expect(values(y)).toEqual(values(expectedY));
              const seedGradient = randomInput(y.shape, seed + 1);
              const dy = dtype === 'float64' ? seedGradient : new Tensor(Float32Array.from(seedGradient.data), y.shape);
              expect(values(fused.backward(dy))).toEqual(values(plain.backward(after.backward(dy))));
              fused
                .parameters()
                .forEach((parameter, index) =>
                  expect(Array.from(parameter.grad)).toEqual(Array.from(plain.parameters()[index].grad)),
                );
            },
          ),
          { numRuns: 8 },
        );
      });
    }
  }

  for (const activation of nonLinear) {
    it(`backward with activation '${activation}' matches central differences`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 2 }),
          fc.integer({ min: 1, max: 2 }),
          fc.integer({ min: 3, max: 5 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 0, max: 1e6 }),
          (inChannels, outChannels, size, kernelSize, seed) => {
            const conv = new Conv2D(inChannels, outChannels, kernelSize, {
              dtype: 'float64',
              padding: 'same',
              seed,
              activation,
              biasInitializer: 'normal',
            });
            const x = randomInput([2, inChannels, size, size], seed);
            if (activation === 'relu') {
              // Differences of step 1e-5 must not straddle the kink at z = 0, and an all-off layer is a vacuous check.
              const z = new Conv2D(inChannels, outChannels, kernelSize, {
                dtype: 'float64',
                padding: 'same',
                seed,
                biasInitializer: 'normal',
              }).forward(x);
              fc.pre(values(z).every((value) => Math.abs(value) > 1e-3) && values(z).some((value) => value > 0));
            }
            expectGradientsToMatch(checkLayerGradients(conv, x, { seed }));
          },
        ),
        { numRuns: 10 },
      );
    });
  }

  it('fuses ReLU into the bias pass with the ReLU layer rule for NaN, infinities and −0', () => {
    // z = y + b: NaN stays NaN; −∞ → 0; −0 + 0 → +0; +∞ stays; 1.5 stays; −2 → 0.
    const y = new Float64Array([Number.NaN, Number.NEGATIVE_INFINITY, -0, Number.POSITIVE_INFINITY, 1.5, -2]);
    addChannelBiasRelu(y, 0, 1, 1, 6, undefined, 0);
    expect(Array.from(y)).toEqual([Number.NaN, 0, 0, Number.POSITIVE_INFINITY, 1.5, 0]);
    expect(Object.is(y[2], 0)).toBe(true);
  });

  it('round-trips the activation through getConfig and the registry, and records nothing when linear', () => {
    expect(new Conv2D(1, 2, 3).getConfig()).not.toHaveProperty('activation');
    for (const activation of nonLinear) {
      const config = new Conv2D(1, 2, 3, { activation, name: 'features' }).getConfig();
      expect(config.activation).toBe(activation);
      expect((layerFromConfig(config) as Conv2D).activation).toBe(activation);
      expect(defaultLayerRegistry.Conv2D.fromConfig(config).getConfig()).toEqual(config);
    }
  });

  it('rejects an activation it does not fuse, naming the layer and the way out', () => {
    expect(() => new Conv2D(1, 2, 3, { name: 'features', activation: 'elu' as never })).toThrow(AnnetError);
    expect(() => new Conv2D(1, 2, 3, { name: 'features', activation: 'elu' as never })).toThrow(
      `Conv2D "features": activation must be one of 'linear', 'relu', 'sigmoid', 'tanh', got "elu"; for other activations add their layer after the Conv2D (for example new ELU())`,
    );
  });
});
