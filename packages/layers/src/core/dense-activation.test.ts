import fc from 'fast-check';
import {
  add,
  AnnetError,
  createRng,
  jsKernels,
  matmul,
  randomNormal,
  tensor,
  useKernels,
  type Tensor,
} from '@annet/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { ReLU } from '../activations/relu.js';
import { Sigmoid } from '../activations/sigmoid.js';
import { Tanh } from '../activations/tanh.js';
import type { BaseLayer } from '../base-layer.js';
import { layerFromConfig } from '../registry/layer-registry.js';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import type { DenseActivation } from './dense-activation.js';
import { Dense } from './dense.js';

afterEach(() => {
  useKernels(null);
});

const nonLinear = ['relu', 'sigmoid', 'tanh'] as const;

/** The activation layer Dense's option stands for. */
function activationLayer(activation: (typeof nonLinear)[number]): BaseLayer {
  return activation === 'relu' ? new ReLU() : activation === 'sigmoid' ? new Sigmoid() : new Tanh();
}

/** The pre-activations z = x·W + b, computed here from the definition. */
function preActivations(dense: Dense, x: Tensor): number[] {
  const rows = x.size / dense.inputSize;
  const xData = x.contiguous().data;
  const result: number[] = [];
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < dense.outputSize; j++) {
      let z = dense.biases === undefined ? 0 : dense.biases.data[j];
      for (let p = 0; p < dense.inputSize; p++)
        z += xData[row * dense.inputSize + p] * dense.weights.data[p * dense.outputSize + j];
      result.push(z);
    }
  }
  return result;
}

describe('Dense activation', () => {
  it('applies ReLU and masks the gradient (hand-derived)', () => {
    // x = [1, 2], W = [[1, 0, −1], [2, 1, 0]], b = [0.5, −3, 2]: xW = [1 + 4, 0 + 2, −1 + 0] = [5, 2, −1],
    //   z = [5.5, −1, 1], y = relu(z) = [5.5, 0, 1].
    // dy = [1, 2, 3]: dz = dy·[y > 0] = [1, 0, 3]; dW = xᵀdz = [[1, 0, 3], [2, 0, 6]]; db = [1, 0, 3];
    //   dx = dz·Wᵀ = [1·1 + 0·0 + 3·(−1), 1·2 + 0·1 + 3·0] = [−2, 2].
    const dense = new Dense(2, 3, { dtype: 'float64', activation: 'relu' });
    dense.weights.data.set([1, 0, -1, 2, 1, 0]);
    dense.biases!.data.set([0.5, -3, 2]);
    expect(dense.forward(tensor([[1, 2]], { dtype: 'float64' })).toArray()).toEqual([[5.5, 0, 1]]);
    expect(dense.backward(tensor([[1, 2, 3]], { dtype: 'float64' })).toArray()).toEqual([[-2, 2]]);
    const [weights, biases] = dense.parameters();
    expect(Array.from(weights.grad)).toEqual([1, 0, 3, 2, 0, 6]);
    expect(Array.from(biases.grad)).toEqual([1, 0, 3]);
  });

  it('applies the sigmoid and tanh with their derivatives (hand-derived)', () => {
    // One input, one unit, W = [[1]], b = [0], x = [[ln 3]], dy = [[2]]: z = ln 3.
    //   sigmoid: y = 1/(1 + 1/3) = 3/4; dz = 2·(3/4)(1/4) = 3/8 = dW = db (x·dz is ln 3·3/8), dx = dz·W = 3/8.
    // x = [[ln 2]]: tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5; dz = 2·(1 − 9/25) = 32/25 = 1.28.
    const sigmoid = new Dense(1, 1, { dtype: 'float64', activation: 'sigmoid' });
    sigmoid.weights.data.set([1]);
    expect(sigmoid.forward(tensor([[Math.log(3)]], { dtype: 'float64' })).item()).toBeCloseTo(0.75, 15);
    expect(sigmoid.backward(tensor([[2]], { dtype: 'float64' })).item()).toBeCloseTo(0.375, 15);
    expect(sigmoid.parameters()[0].grad[0]).toBeCloseTo(Math.log(3) * 0.375, 15);
    expect(sigmoid.parameters()[1].grad[0]).toBeCloseTo(0.375, 15);
    const tanh = new Dense(1, 1, { dtype: 'float64', activation: 'tanh' });
    tanh.weights.data.set([1]);
    expect(tanh.forward(tensor([[Math.log(2)]], { dtype: 'float64' })).item()).toBeCloseTo(0.6, 15);
    expect(tanh.backward(tensor([[2]], { dtype: 'float64' })).item()).toBeCloseTo(1.28, 14);
    expect(tanh.parameters()[1].grad[0]).toBeCloseTo(1.28, 14);
  });

  for (const activation of ['linear', ...nonLinear] as const) {
    it(`backward with activation '${activation}' matches central differences for the input, weights and biases`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 5 }),
          fc.boolean(),
          fc.integer({ min: 0, max: 1e6 }),
          (lead, inputSize, outputSize, useBias, seed) => {
            const dense = new Dense(inputSize, outputSize, {
              dtype: 'float64',
              useBias,
              seed,
              activation,
              biasInitializer: 'normal',
            });
            const x = randomInput([...lead, inputSize], seed);
            if (activation === 'relu') {
              const z = preActivations(dense, x);
              // A central difference of step 1e-5 must not straddle ReLU's kink at z = 0, and a
              // layer whose every unit is off has only zero gradients (a vacuous check).
              fc.pre(z.every((value) => Math.abs(value) > 1e-3) && z.some((value) => value > 0));
            }
            expectGradientsToMatch(checkLayerGradients(dense, x, { seed }));
          },
        ),
        { numRuns: 12 },
      );
    });
  }

  for (const activation of nonLinear) {
    it(`equals Dense then the ${activation} layer bit for bit in float64 (forward, every gradient)`, () => {
      for (const shape of [
        [5, 6],
        [2, 3, 6],
      ]) {
        const fused = new Dense(6, 4, { dtype: 'float64', seed: 7, activation, biasInitializer: 'normal' });
        const plain = new Dense(6, 4, { dtype: 'float64', seed: 7, biasInitializer: 'normal' });
        const after = activationLayer(activation);
        const x = randomInput(shape, 3);
        const y = fused.forward(x, { training: true });
        const reference = after.forward(plain.forward(x, { training: true }), { training: true });
        expect(y.data).toEqual(reference.data);
        const dy = randomInput(y.shape, 4);
        expect(fused.backward(dy).data).toEqual(plain.backward(after.backward(dy)).data);
        fused
          .parameters()
          .forEach((parameter, index) => expect(parameter.grad).toEqual(plain.parameters()[index].grad));
      }
    });

    it(`equals Dense then the ${activation} layer within float32 rounding, on the TypeScript and the automatically selected kernels`, () => {
      for (const kernels of [jsKernels, null]) {
        useKernels(kernels);
        const rng = createRng(11);
        const fused = new Dense(37, 19, { seed: 5, activation, biasInitializer: 'normal' });
        const plain = new Dense(37, 19, { seed: 5, biasInitializer: 'normal' });
        const after = activationLayer(activation);
        const x = randomNormal([13, 37], rng);
        const y = fused.forward(x);
        const reference = after.forward(plain.forward(x));
        // |z| is O(10) here; float32 rounding of the product and bias is ~1e-6 relative.
        y.data.forEach((value, index) => expect(value).toBeCloseTo(reference.data[index], 4));
        const dy = randomNormal([13, 19], rng);
        const dx = fused.backward(dy);
        const referenceDx = plain.backward(after.backward(dy));
        dx.data.forEach((value, index) => expect(value).toBeCloseTo(referenceDx.data[index], 4));
        fused.parameters().forEach((parameter, index) => {
          parameter.grad.forEach((value, element) =>
            expect(value).toBeCloseTo(plain.parameters()[index].grad[element], 4),
          );
        });
      }
    });
  }

  it('computes a linear Dense exactly as the product then add(bias), as before the option existed (float32 on both kernel sets, float64)', () => {
    // The bias now rides in the matmul; adding it to the rounded product inside the kernel is the
    // same single rounding as the separate add, so linear layers give the same bits as before.
    for (const kernels of [jsKernels, null]) {
      useKernels(kernels);
      for (const dtype of ['float32', 'float64'] as const) {
        const rng = createRng(8);
        const dense = new Dense(45, 21, { dtype, seed: 1, biasInitializer: 'normal' });
        const x = randomNormal([10, 45], rng, { dtype });
        const expected = add(matmul(x, dense.weights as Tensor<typeof dtype>), dense.biases!);
        expect(dense.forward(x).data).toEqual(expected.data);
      }
    }
  });

  it('keeps { inputGradient: false }: the same parameter gradients, dX left untouched', () => {
    for (const activation of nonLinear) {
      const rng = createRng(2);
      const x = randomNormal([5, 6], rng);
      const dy = randomNormal([5, 4], rng);
      const full = new Dense(6, 4, { seed: 3, activation });
      const skipping = new Dense(6, 4, { seed: 3, activation });
      full.forward(x);
      skipping.forward(x);
      const fullDx = Array.from(full.backward(dy).data);
      const skipped = skipping.backward(dy, { inputGradient: false });
      expect(Array.from(skipped.data)).toEqual(new Array<number>(30).fill(0));
      expect(fullDx).not.toEqual(Array.from(skipped.data));
      full
        .parameters()
        .forEach((parameter, index) => expect(skipping.parameters()[index].grad).toEqual(parameter.grad));
    }
  });

  it('returns the same output, gradient and dZ buffers on every step', () => {
    for (const activation of nonLinear) {
      const dense = new Dense(6, 4, { dtype: 'float64', activation });
      const x = randomInput([3, 6], 1);
      const dy = randomInput([3, 4], 2);
      const output = dense.forward(x, { training: true });
      const inputGradient = dense.backward(dy);
      const gradients = dense.parameters().map((parameter) => Array.from(parameter.grad));
      for (let step = 0; step < 3; step++) {
        expect(dense.forward(x, { training: true })).toBe(output);
        expect(dense.backward(dy)).toBe(inputGradient);
      }
      expect(dense.parameters().map((parameter) => Array.from(parameter.grad))).toEqual(gradients);
    }
  });

  it('round-trips the activation through getConfig and fromConfig, and loads configs written without it as linear', () => {
    for (const activation of nonLinear) {
      const dense = new Dense(3, 2, { activation, seed: 4, name: 'hidden' });
      const config = dense.getConfig();
      expect(config.activation).toBe(activation);
      const copy = Dense.fromConfig(config);
      expect(copy.activation).toBe(activation);
      expect(copy.getConfig()).toEqual(config);
      expect((layerFromConfig(config) as Dense).activation).toBe(activation);
    }
    // A config as Dense wrote it before the option existed: no `activation` key.
    const old = {
      className: 'Dense',
      name: 'dense_1',
      dtype: 'float32',
      inputSize: 3,
      outputSize: 2,
      useBias: true,
      kernelInitializer: 'glorotUniform',
      biasInitializer: 'zeros',
      seed: 1,
    } as const;
    const loaded = Dense.fromConfig(old);
    expect(loaded.activation).toBe('linear');
    expect(loaded.getConfig()).toEqual(old);
    expect('activation' in new Dense(3, 2, { activation: 'linear' }).getConfig()).toBe(false);
  });

  it('keeps Keras’s initializer: activation relu alone is Glorot uniform, the hint picks He normal', () => {
    expect(new Dense(10, 4, { activation: 'relu' }).getConfig().kernelInitializer).toBe('glorotUniform');
    expect(new Dense(10, 4, { activation: 'relu', activationHint: 'relu' }).getConfig().kernelInitializer).toBe(
      'heNormal',
    );
    expect(new Dense(10, 4, { activation: 'relu', seed: 2 }).weights.data).toEqual(
      new Dense(10, 4, { seed: 2 }).weights.data,
    );
  });

  it('rejects an unknown activation, naming the layer, the value and the supported names', () => {
    const expected = `Dense "dense": activation must be one of 'linear', 'relu', 'sigmoid', 'tanh', got "softmax"; for other activations add their layer after the Dense (for example new Softmax())`;
    expect(() => new Dense(2, 2, { activation: 'softmax' as DenseActivation })).toThrow(expected);
    expect(() => new Dense(2, 2, { activation: 3 as unknown as DenseActivation })).toThrow('got 3;');
    expect(() =>
      Dense.fromConfig({ className: 'Dense', name: 'dense', inputSize: 2, outputSize: 2, activation: 'gelu' }),
    ).toThrow(AnnetError);
  });
});
