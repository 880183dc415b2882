import { describe, expect, it } from 'vitest';
import { bitsEqual, makeParameter } from '../testing/fixtures.js';
import { ExponentialMovingAverage } from './exponential-moving-average.js';

describe('ExponentialMovingAverage', () => {
  it('starts at the weights and moves by (1 − d) towards them: 0 → 10 with d = 0.9 gives 1, then 1.9', () => {
    const parameter = makeParameter('w', [1], [0]);
    const ema = new ExponentialMovingAverage({ decay: 0.9 });
    ema.update([parameter]);
    parameter.value[0] = 10;
    ema.update([parameter]);
    expect(ema.average('w')?.[0]).toBeCloseTo(1, 15);
    ema.update([parameter]);
    expect(ema.average('w')?.[0]).toBeCloseTo(1.9, 15);
    expect(ema.updates).toBe(3);
  });

  it('with warmup uses min(d, (1 + n)/(10 + n)): 0.1 at the first update, 2/11 at the second', () => {
    const ema = new ExponentialMovingAverage({ decay: 0.999, warmup: true });
    expect(ema.currentDecay()).toBeCloseTo(0.1, 15);
    ema.update([makeParameter('w', [1], [0])]);
    expect(ema.currentDecay()).toBeCloseTo(2 / 11, 15);
  });

  it('swap exchanges weights and averages, and swapping back restores the weights bit for bit', () => {
    const parameter = makeParameter('w', [3], [1, 2, 3], 'float32');
    const ema = new ExponentialMovingAverage({ decay: 0.5 });
    ema.update([parameter]);
    parameter.value.set([3, 4, 5]);
    ema.update([parameter]);
    const trained = parameter.value.slice();
    ema.swap([parameter]);
    expect([...parameter.value]).toEqual([2, 3, 4]);
    ema.swap([parameter]);
    expect(bitsEqual(parameter.value, trained)).toBe(true);
  });

  it('skips frozen parameters', () => {
    const frozen = { ...makeParameter('f', [1], [1]), trainable: false };
    const ema = new ExponentialMovingAverage();
    ema.update([frozen]);
    expect(ema.average('f')).toBeUndefined();
  });

  it('round-trips through JSON and through a state dict exactly', () => {
    const parameter = makeParameter('w', [2], [0.1, -0.3], 'float32');
    const ema = new ExponentialMovingAverage({ decay: 0.97, warmup: true });
    for (let step = 0; step < 5; step++) {
      parameter.value[0] += 0.37;
      ema.update([parameter]);
    }
    const fromJson = ExponentialMovingAverage.fromJSON(JSON.parse(JSON.stringify(ema)));
    const fromDict = new ExponentialMovingAverage({ decay: 0.97, warmup: true });
    fromDict.loadStateDict(ema.stateDict());
    parameter.value[1] = 2;
    ema.update([parameter]);
    for (const copy of [fromJson, fromDict]) {
      expect(copy.updates).toBe(5);
      copy.update([makeParameter('w', [2], [...parameter.value], 'float32')]);
      expect(bitsEqual(copy.average('w') as Float32Array, ema.average('w') as Float32Array)).toBe(true);
    }
  });

  it('refuses a state dict whose arrays do not fit, without changing anything', () => {
    const ema = new ExponentialMovingAverage();
    ema.update([makeParameter('w', [2], [1, 2])]);
    const dict = ema.stateDict();
    expect(() =>
      ema.loadStateDict({ ...dict, arrays: { 'w.average': { shape: [2], value: new Float32Array(2) } } }),
    ).toThrow(
      'ExponentialMovingAverage.loadStateDict: the average of "w" must be a Float64Array of shape [2] under arrays["w.average"]',
    );
    expect([...(ema.average('w') ?? [])]).toEqual([1, 2]);
  });
});
