import type { JsonObject, JsonValue } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { architectureDifferences, assertArchitectureMatches } from './architecture.js';

const model: JsonObject = {
  className: 'Sequential',
  layers: [
    { className: 'Dense', units: 64 },
    { className: 'Dense', units: 10, activation: 'softmax' },
  ],
};

describe('architectureDifferences', () => {
  it('is empty for equal architectures, whatever the key order', () => {
    expect(
      architectureDifferences(model, JSON.parse(JSON.stringify({ layers: model.layers, className: 'Sequential' }))),
    ).toEqual([]);
  });

  it('lists each difference with its path', () => {
    const found: JsonObject = {
      className: 'Sequential',
      layers: [{ className: 'Dense', units: 32 }, { className: 'Dense', units: 10 }, { className: 'Dropout' }],
    };
    expect(architectureDifferences(model, found)).toEqual([
      'layers: expected an array of 2, found an array of 3',
      'layers[0].units: expected 64, found 32',
      'layers[1].activation: expected "softmax", found nothing',
    ]);
    expect(architectureDifferences({ a: [1] }, { a: { 0: 1 } })).toEqual([
      'a: expected an array of 1, found an object',
    ]);
    expect(architectureDifferences(1, null)).toEqual(['(root): expected 1, found null']);
  });
});

describe('assertArchitectureMatches', () => {
  it('passes equal architectures and names the file and the differences otherwise', () => {
    expect(() => assertArchitectureMatches(model, structuredClone(model), 'a.ckpt')).not.toThrow();
    let caught: unknown;
    try {
      assertArchitectureMatches(
        model,
        { ...model, layers: [{ className: 'Dense', units: 32 }, (model.layers as readonly JsonValue[])[1]] },
        'run/model.ckpt',
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnnetError);
    expect((caught as Error).message).toBe(
      "assertArchitectureMatches: run/model.ckpt: the checkpoint's architecture differs from the model's in 1 place: layers[0].units: expected 64, found 32",
    );
  });

  it('lists at most 20 differences', () => {
    const expected = Object.fromEntries(
      Array.from({ length: 25 }, (_, index) => [`k${String(index).padStart(2, '0')}`, index]),
    );
    expect(() => assertArchitectureMatches(expected, {}, 'x.ckpt')).toThrow(
      /in 25 places: .*k19: expected 19, found nothing; and 5 more$/,
    );
  });
});
