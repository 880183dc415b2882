import fc from 'fast-check';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { awayFromKinks, checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { ELU } from './elu.js';
import { erf } from './erf.js';
import { GELU } from './gelu.js';
import { LeakyReLU } from './leaky-relu.js';
import { ReLU } from './relu.js';
import { Sigmoid } from './sigmoid.js';
import { Tanh } from './tanh.js';

const activations = {
  ReLU: () => new ReLU({ dtype: 'float64' }),
  LeakyReLU: () => new LeakyReLU({ negativeSlope: 0.2, dtype: 'float64' }),
  ELU: () => new ELU({ alpha: 1.5, dtype: 'float64' }),
  GELU: () => new GELU({ dtype: 'float64' }),
  'GELU tanh': () => new GELU({ approximate: 'tanh', dtype: 'float64' }),
  Sigmoid: () => new Sigmoid({ dtype: 'float64' }),
  Tanh: () => new Tanh({ dtype: 'float64' }),
};

const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

describe('elementwise activations', () => {
  for (const [name, create] of Object.entries(activations)) {
    it(`${name}: backward matches central differences over random shapes and seeds`, () => {
      fc.assert(
        fc.property(shapes, fc.integer({ min: 0, max: 1e6 }), (shape, seed) => {
          const input = randomInput(shape, seed, 2);
          input.data[0] = Math.abs(input.data[0]) + 0.1; // at least one positive input, so ReLU's check is not vacuous
          awayFromKinks(input.data);
          expectGradientsToMatch(checkLayerGradients(create(), input, { seed }));
        }),
        { numRuns: 8 },
      );
    });
  }

  it('ReLU matches hand-derived values', () => {
    // y = max(0, x): [-2, -0, 0.5, 3] -> [0, 0, 0.5, 3]; dy/dx = [0, 0, 1, 1] (0 at x = 0),
    // so with dL/dy = [10, 20, 30, 40], dL/dx = [0, 0, 30, 40].
    const relu = new ReLU();
    expect(Array.from(relu.forward(tensor([[-2, 0, 0.5, 3]])).data)).toEqual([0, 0, 0.5, 3]);
    expect(Array.from(relu.backward(tensor([[10, 20, 30, 40]])).data)).toEqual([0, 0, 30, 40]);
  });

  it("ReLU's branch-free loops agree with the plain definitions x > 0 ? x : 0 and x > 0 ? dy : 0", () => {
    const special = [0, -0, 1e-45, -1e-45, Infinity, -Infinity, 3.5, -2.25];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(...special)), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
          minLength: 40,
          maxLength: 40,
        }),
        (values, gradients) => {
          const relu = new ReLU({ dtype: 'float64' });
          const x = tensor(values, { dtype: 'float64' });
          const y = Array.from(relu.forward(x).data);
          const dy = tensor(gradients.slice(0, values.length), { dtype: 'float64' });
          const dx = Array.from(relu.backward(dy).data);
          values.forEach((value, index) => {
            expect(Object.is(y[index], value > 0 ? value : 0)).toBe(true); // +0, never −0
            expect(Object.is(dx[index], value > 0 ? dy.data[index] + 0 : 0)).toBe(true);
          });
        },
      ),
      { numRuns: 60 },
    );
    // NaN propagates (PyTorch's behaviour and the tensor op relu's).
    expect(Number.isNaN(new ReLU().forward(tensor([[Number.NaN]])).data[0])).toBe(true);
  });

  it('LeakyReLU, ELU, Sigmoid, Tanh and GELU match their formulas at chosen points', () => {
    const x = tensor([[-2, 0.5]], { dtype: 'float64' });
    expect(Array.from(new LeakyReLU({ negativeSlope: 0.1 }).forward(x).data)).toEqual([-0.2, 0.5]);
    expect(new ELU().forward(x).data[0]).toBeCloseTo(Math.exp(-2) - 1, 15);
    expect(new Sigmoid().forward(x).data[1]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 15);
    expect(new Tanh().forward(x).data[0]).toBeCloseTo(Math.tanh(-2), 15);
    // GELU(1) = Φ(1) = 0.841344746068543 (standard normal table); GELU(−2) = −2·Φ(−2) = −2·0.0227501319481792.
    const gelu = new GELU().forward(tensor([[1, -2]], { dtype: 'float64' }));
    expect(gelu.data[0]).toBeCloseTo(0.841344746068543, 14);
    expect(gelu.data[1]).toBeCloseTo(-0.0455002638963584, 14);
  });

  it('Sigmoid stays finite for inputs of ±1e4', () => {
    const y = new Sigmoid().forward(tensor([[-1e4, 1e4]], { dtype: 'float64' }));
    expect(Array.from(y.data)).toEqual([0, 1]);
  });

  it('works in the input dtype and keeps the shape', () => {
    const relu = new ReLU();
    const y = relu.forward(randomInput([2, 3, 4], 1));
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([2, 3, 4]);
    expect(relu.forward(tensor([[1]])).dtype).toBe('float32');
  });

  it('reads non-contiguous inputs correctly', () => {
    const x = tensor(
      [
        [-1, 2],
        [3, -4],
      ],
      { dtype: 'float64' },
    ).transpose();
    expect(new ReLU().forward(x).toArray()).toEqual([
      [0, 3],
      [2, 0],
    ]);
  });

  it('reuses the output and gradient buffers across steps', () => {
    const tanh = new Tanh();
    const x = randomInput([4, 5], 2);
    const first = tanh.forward(x);
    const firstGradient = tanh.backward(first);
    expect(tanh.forward(x)).toBe(first);
    expect(tanh.backward(first)).toBe(firstGradient);
  });

  it('rejects backward before forward and gradients of the wrong shape', () => {
    const relu = new ReLU({ name: 'relu_3' });
    expect(() => relu.backward(tensor([[1]]))).toThrow('ReLU "relu_3": backward was called before forward');
    relu.forward(tensor([[1, 2]]));
    expect(() => relu.backward(tensor([[1, 2, 3]]))).toThrow(
      'ReLU "relu_3": expected an output gradient of shape [1,2] (the last output\'s shape), got [1,3]',
    );
    expect(() => relu.forward(new Tensor(new Int32Array([1]), [1]))).toThrow(AnnetError);
  });
});

describe('erf', () => {
  it('matches published values to float64 precision', () => {
    // Abramowitz and Stegun, table 7.1.
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 15);
    expect(erf(10)).toBe(1);
  });

  it('is odd, increasing and bounded by 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -8, max: 8, noNaN: true }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        (x, step) => {
          expect(erf(-x)).toEqual(-erf(x) + 0);
          expect(erf(x + step)).toBeGreaterThanOrEqual(erf(x));
          expect(Math.abs(erf(x))).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
