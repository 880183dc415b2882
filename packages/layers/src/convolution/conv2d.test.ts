import fc from 'fast-check';
import { add, AnnetError, col2im, im2col, matmul, sum, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { Conv2D } from './conv2d.js';
import type { Workspace } from '../workspace.js';
import type { ConvBuffers } from './conv-buffers.js';

/** Direct cross-correlation with explicit padding, the textbook seven nested loops. */
function naiveConvolution(x: Tensor, conv: Conv2D, pad: [number, number, number, number]): number[] {
  const [batchSize, channels, height, width] = x.shape;
  const [filters, , kernelHeight, kernelWidth] = conv.weights.shape;
  const [strideHeight, strideWidth] = conv.stride;
  const [dilationHeight, dilationWidth] = conv.dilation;
  const outputHeight =
    Math.floor((height + pad[0] + pad[1] - dilationHeight * (kernelHeight - 1) - 1) / strideHeight) + 1;
  const outputWidth = Math.floor((width + pad[2] + pad[3] - dilationWidth * (kernelWidth - 1) - 1) / strideWidth) + 1;
  const result: number[] = [];
  for (let n = 0; n < batchSize; n++) {
    for (let f = 0; f < filters; f++) {
      for (let row = 0; row < outputHeight; row++) {
        for (let column = 0; column < outputWidth; column++) {
          let total = conv.biases ? conv.biases.get(f) : 0;
          for (let c = 0; c < channels; c++) {
            for (let i = 0; i < kernelHeight; i++) {
              for (let j = 0; j < kernelWidth; j++) {
                const y = row * strideHeight - pad[0] + i * dilationHeight;
                const xColumn = column * strideWidth - pad[2] + j * dilationWidth;
                if (y >= 0 && y < height && xColumn >= 0 && xColumn < width)
                  total += conv.weights.get(f, c, i, j) * x.get(n, c, y, xColumn);
              }
            }
          }
          result.push(total);
        }
      }
    }
  }
  return result;
}

describe('Conv2D', () => {
  it('matches a hand-derived 3x3 example', () => {
    // x = 1…9 in a 3x3 image, 2x2 kernel [[1, 0], [0, −1]], bias 0.5, valid, stride 1:
    // y[0,0] = 1 − 5 + 0.5 = −3.5, y[0,1] = 2 − 6 + 0.5 = −3.5, y[1,0] = 4 − 8 + 0.5, y[1,1] = 5 − 9 + 0.5.
    const conv = new Conv2D(1, 1, 2, { dtype: 'float64' });
    conv.weights.data.set([1, 0, 0, -1]);
    conv.biases!.data.set([0.5]);
    const x = tensor(
      [
        [
          [
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ],
        ],
      ],
      { dtype: 'float64' },
    );
    expect(conv.forward(x).toArray()).toEqual([
      [
        [
          [-3.5, -3.5],
          [-3.5, -3.5],
        ],
      ],
    ]);
    // dy = ones: dW[i,j] = Σ of the 2x2 window of x shifted by (i, j) = [[12, 16], [24, 28]], db = 4.
    conv.backward(
      tensor(
        [
          [
            [
              [1, 1],
              [1, 1],
            ],
          ],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(Array.from(conv.parameters()[0].grad)).toEqual([12, 16, 24, 28]);
    expect(Array.from(conv.parameters()[1].grad)).toEqual([4]);
  });

  it('matches a direct convolution over random shapes, strides, dilations and paddings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 4, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('valid' as const, 'same' as const, 1),
        fc.integer({ min: 0, max: 1e6 }),
        (batchSize, inChannels, outChannels, size, kernelSize, stride, dilation, padding, seed) => {
          const fits = dilation * (kernelSize - 1) + 1 <= size;
          const conv = new Conv2D(inChannels, outChannels, kernelSize, {
            stride,
            dilation: fits ? dilation : 1,
            padding,
            dtype: 'float64',
            seed,
            biasInitializer: 'normal',
          });
          const x = randomInput([batchSize, inChannels, size, size + 1], seed);
          const output = conv.forward(x);
          const geometry = (conv as unknown as { workspace: Workspace }).workspace.current<ConvBuffers>(
            'buffers',
          )!.geometry;
          const expected = naiveConvolution(x, conv, [
            geometry.padTop,
            geometry.padBottom,
            geometry.padLeft,
            geometry.padRight,
          ]);
          expect(output.size).toBe(expected.length);
          expected.forEach((value, index) => expect(output.data[index]).toBeCloseTo(value, 12));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('backward matches central differences over random shapes, strides, dilations and paddings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 3, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('valid' as const, 'same' as const, 1),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (batchSize, inChannels, outChannels, size, kernelSize, stride, dilation, padding, useBias, seed) => {
          const span = dilation * (kernelSize - 1) + 1;
          const conv = new Conv2D(inChannels, outChannels, kernelSize, {
            stride,
            dilation: span > size ? 1 : dilation,
            padding,
            useBias,
            dtype: 'float64',
            seed,
          });
          expectGradientsToMatch(
            checkLayerGradients(conv, randomInput([batchSize, inChannels, size, size], seed), { seed }),
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('computes dW per sample when outChannels exceed the output positions, and agrees with central differences', () => {
    // 4x4 input, 3x3 kernel, valid: 2x2 = 4 positions < 6 output channels.
    const conv = new Conv2D(2, 6, 3, { dtype: 'float64', seed: 4 });
    expectGradientsToMatch(checkLayerGradients(conv, randomInput([3, 2, 4, 4], 5)));
  });

  it('gives in float32 the bits of im2col, matmul, add and sum composed as its TSDoc says', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 3, max: 9 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('valid' as const, 'same' as const, 1),
        fc.integer({ min: 0, max: 1e6 }),
        (batchSize, inChannels, outChannels, size, kernelSize, stride, padding, seed) => {
          const conv = new Conv2D(inChannels, outChannels, Math.min(kernelSize, size), {
            stride,
            padding,
            seed,
            biasInitializer: 'normal',
          });
          const x = randomInput([batchSize, inChannels, size, size + 2], seed).contiguous();
          const input = new Tensor(Float32Array.from(x.data), x.shape);
          const y = conv.forward(input, { training: true });
          const dy = new Tensor(Float32Array.from(randomInput(y.shape, seed + 1).data), y.shape);
          const dx = conv.backward(dy);
          const geometry = (conv as unknown as { workspace: Workspace }).workspace.current<ConvBuffers>(
            'buffers',
          )!.geometry;
          const options = {
            kernelSize: conv.kernelSize,
            stride: conv.stride,
            padding: [geometry.padTop, geometry.padBottom, geometry.padLeft, geometry.padRight] as [
              number,
              number,
              number,
              number,
            ],
          };
          const weights = conv.weights.reshape([outChannels, -1]) as Tensor<'float32'>;
          const columns = im2col(input, options) as Tensor<'float32'>;
          const positions = columns.shape[2];
          const expectedY = add(matmul(weights, columns), conv.biases!.reshape([outChannels, 1]));
          const dyColumns = dy.reshape([batchSize, outChannels, positions]) as Tensor<'float32'>;
          const expectedWeightGradient = sum(matmul(dyColumns, columns, { transposeB: true }), 0);
          const expectedBiasGradient = sum(dy, [0, 2, 3]);
          const expectedDx = col2im(matmul(weights, dyColumns, { transposeA: true }), input.shape, options);
          expect(Array.from(y.data.subarray(y.offset, y.offset + y.size))).toEqual(Array.from(expectedY.data));
          expect(Array.from(conv.parameters()[0].grad)).toEqual(Array.from(expectedWeightGradient.data));
          expect(Array.from(conv.parameters()[1].grad)).toEqual(Array.from(expectedBiasGradient.data));
          expect(Array.from(dx.data.subarray(dx.offset, dx.offset + dx.size))).toEqual(Array.from(expectedDx.data));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps 28x28 with same padding and halves it with stride 2', () => {
    expect(new Conv2D(1, 8, 3, { padding: 'same' }).outputShape([64, 1, 28, 28])).toEqual([64, 8, 28, 28]);
    expect(new Conv2D(1, 8, 3, { padding: 'same', stride: 2 }).outputShape([-1, 1, 28, 28])).toEqual([-1, 8, 14, 14]);
    expect(new Conv2D(1, 8, 3).outputShape([64, 1, 28, 28])).toEqual([64, 8, 26, 26]);
  });

  it('reuses its buffers across steps', () => {
    const conv = new Conv2D(2, 3, 3, { padding: 'same', dtype: 'float64' });
    const x = randomInput([2, 2, 5, 5], 1);
    const y = conv.forward(x);
    const dx = conv.backward(y);
    expect(conv.forward(x)).toBe(y);
    expect(conv.backward(y)).toBe(dx);
  });

  it('names the layer and shapes on bad input', () => {
    const conv = new Conv2D(3, 8, 3, { name: 'conv2d_1' });
    expect(() => conv.forward(randomInput([2, 1, 8, 8], 0))).toThrow(
      'Conv2D "conv2d_1": expected input [N,3,H,W], got [2,1,8,8]',
    );
    expect(() =>
      new Conv2D(1, 1, 5).forward(
        tensor([
          [
            [
              [1, 2],
              [3, 4],
            ],
          ],
        ]),
      ),
    ).toThrow(AnnetError);
    expect(() => new Conv2D(1, 1, 0)).toThrow(AnnetError);
  });
});
