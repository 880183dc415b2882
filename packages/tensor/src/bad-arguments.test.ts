import { describe, expect, it } from 'vitest';
import { arange, eye, full, linspace, ones, tensor, zeros } from './create.js';
import { AnnetError } from './errors.js';
import { cast } from './ops/cast.js';
import { concat, stack } from './ops/concat.js';
import { flatten } from './ops/flatten.js';
import { gather } from './ops/gather.js';
import { logSumExp, std, variance } from './ops/moments.js';
import { argmax, argmin, max, mean, min, prod, sum } from './ops/reduce.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { split } from './ops/split.js';
import { createRng, randomNormal, randomUniform } from './random.js';
import { residentZeros } from './resident.js';
import type { Tensor } from './tensor.js';

/** The AnnetError `run` throws (fails the test if it throws anything else, or nothing). */
function annetErrorOf(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected an AnnetError, nothing was thrown');
}

describe('ops taking an axis refuse what is not an integer axis (plain JavaScript callers)', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  const notAxes: Array<[string, unknown]> = [
    ['an object', {}],
    ['the string "1"', '1'],
    ['boolean true', true],
    ['number 0.5', 0.5],
    ['number NaN', NaN],
  ];
  const reductions: Array<[string, (x: Tensor, axis: never) => Tensor]> = [
    ['sum', sum],
    ['prod', prod],
    ['mean', mean],
    ['max', max],
    ['min', min],
    ['argmax', argmax],
    ['argmin', argmin],
    ['variance', variance],
    ['std', std],
    ['logSumExp', logSumExp],
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
  ];
  for (const [name, op] of reductions) {
    it(`${name} refuses an object, a string, a boolean and a fraction as axis with INVALID_AXIS`, () => {
      for (const [described, axis] of notAxes) {
        const error = annetErrorOf(() => op(x, axis as never));
        expect(error.code).toBe('INVALID_AXIS');
        expect(error.message).toMatch(new RegExp(`^${name}: axis must be an integer in \\[-2, 2\\)`));
        expect(error.message).toContain(described);
      }
    });
  }

  it('an object among a list of axes is refused too, and valid axes give the same results as before', () => {
    expect(annetErrorOf(() => sum(x, [0, {}] as never)).message).toBe(
      'sum: axis must be an integer in [-2, 2), got an object',
    );
    expect(sum(x, 0).toArray()).toEqual([4, 6]);
    expect(sum(x, [0, 1]).item()).toBe(10);
    expect(sum(x, Int32Array.of(1) as never).toArray()).toEqual([3, 7]);
    expect(argmax(x, 1).toArray()).toEqual([1, 1]);
  });

  it('view, join and index ops refuse object axes with INVALID_AXIS instead of a TypeError', () => {
    const cases: Array<[string, () => unknown]> = [
      ['squeeze', () => x.squeeze({} as never)],
      ['transpose', () => x.transpose({} as never)],
      ['expandDims', () => x.expandDims({} as never)],
      ['concat', () => concat([x, x], {} as never)],
      ['stack', () => stack([x, x], {} as never)],
      ['split', () => split(x, 2, {} as never)],
      ['gather', () => gather(x, [0], {} as never)],
      ['flatten', () => flatten(x, {} as never)],
    ];
    for (const [operation, run] of cases) {
      const error = annetErrorOf(run);
      expect([error.code, error.operation]).toEqual(['INVALID_AXIS', operation]);
      expect(error.message).toContain('an object');
    }
  });
});

describe('tensor creation refuses what cannot be allocated with an AnnetError, not a RangeError', () => {
  it('zeros([1e10]) names the operation, the element count and the bytes', () => {
    const error = annetErrorOf(() => zeros([1e10]));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^zeros: cannot allocate 10000000000 float32 elements \(40 GB\)/);
  });

  it('zeros([2**26, 2**26]) and a shape whose size is not even a safe integer are refused', () => {
    expect(annetErrorOf(() => zeros([2 ** 26, 2 ** 26])).message).toMatch(
      /^zeros: cannot allocate 4503599627370496 float32 elements \(18 PB\)/,
    );
    expect(annetErrorOf(() => ones([2 ** 30, 2 ** 30, 2 ** 30], 'float64')).message).toBe(
      `ones: shape [${2 ** 30},${2 ** 30},${2 ** 30}] has ${2 ** 90} elements, more than any array can hold; use a smaller shape`,
    );
  });

  it('arange(0, 1e12) and ranges beyond any array are refused by arange', () => {
    expect(annetErrorOf(() => arange(0, 1e12)).message).toMatch(
      /^arange: cannot allocate 1000000000000 float32 elements \(4 TB\)/,
    );
    expect(annetErrorOf(() => arange(0, 1e300)).message).toBe(
      'arange: the range from 0 to 1e+300 by 1 has 1e+300 elements, more than any array can hold',
    );
  });

  it('full, linspace, eye, randomUniform and randomNormal go through the same check', () => {
    for (const [operation, run] of [
      ['full', () => full([1e10], 1)],
      ['linspace', () => linspace(0, 1, 1e10)],
      ['eye', () => eye(1e5)],
      ['randomUniform', () => randomUniform([1e10], createRng(1))],
      ['randomNormal', () => randomNormal([1e10], createRng(1))],
    ] as const) {
      const error = annetErrorOf(run);
      expect([error.code, error.operation]).toEqual(['INVALID_ARGUMENT', operation]);
    }
  });

  it('randomNormal([2], { seed: 1 }) says to pass a generator', () => {
    const error = annetErrorOf(() => randomNormal([2], { seed: 1 } as never));
    expect(error.message).toBe(
      'randomNormal: rng must be a generator, got an object; pass createRng(seed), e.g. randomNormal(shape, createRng(1))',
    );
    expect(annetErrorOf(() => randomUniform([2], 7 as never)).message).toMatch(
      /^randomUniform: rng must be a generator, got number 7/,
    );
    expect(randomNormal([2], createRng(1)).toArray()).toEqual(randomNormal([2], createRng(1)).toArray());
  });
});

describe('cast to int32 refuses values int32 cannot hold', () => {
  it('refuses 1e10, NaN and ±Infinity by default, naming the element, and writes nothing into out', () => {
    const out = zeros([3], 'int32');
    const error = annetErrorOf(() => cast(tensor([1, 1e10, 2], { dtype: 'float64' }), 'int32', { out }));
    expect(error.message).toBe(
      "cast: element 1 (in row-major order) is 10000000000, which int32 cannot hold; expected finite values whose truncation lies in [-2^31, 2^31) (pass { outOfRange: 'wrap' } for Int32Array wrapping)",
    );
    expect(out.toArray()).toEqual([0, 0, 0]);
    expect(annetErrorOf(() => cast(tensor([NaN]), 'int32')).message).toContain('element 0 (in row-major order) is NaN');
    expect(annetErrorOf(() => cast(tensor([0, -Infinity]), 'int32')).message).toContain('is -Infinity');
  });

  it('truncates toward zero at both ends of the range, and wraps only when asked', () => {
    // Truncation of 2^31 - 0.5 is 2^31 - 1 and of -2^31 - 0.5 is -2^31: both fit.
    expect(cast(tensor([2 ** 31 - 0.5, -(2 ** 31) - 0.5, -1.7], { dtype: 'float64' }), 'int32').toArray()).toEqual([
      2 ** 31 - 1,
      -(2 ** 31),
      -1,
    ]);
    expect(cast(tensor([1e10, NaN], { dtype: 'float64' }), 'int32', { outOfRange: 'wrap' }).toArray()).toEqual([
      1410065408, 0,
    ]);
    expect(annetErrorOf(() => cast(tensor([1]), 'int32', { outOfRange: 'clamp' as never })).message).toBe(
      "cast: outOfRange must be 'error' or 'wrap', got clamp",
    );
  });
});

describe('residentZeros refuses what cannot be allocated', () => {
  it('names residentZeros', () => {
    const error = annetErrorOf(() => residentZeros([1e10], 'float64'));
    expect([error.code, error.operation]).toEqual(['INVALID_ARGUMENT', 'residentZeros']);
  });
});
