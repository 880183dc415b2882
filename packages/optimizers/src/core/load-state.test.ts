import { describe, expect, it } from 'vitest';
import type { Parameter } from '@annet/layer-api';
import { AnnetError } from '../annet-error.js';
import { Adam } from '../optimizers/adam.js';
import { NAdam } from '../optimizers/nadam.js';
import { SGD } from '../optimizers/sgd.js';
import { reduceLROnPlateau } from '../schedules/reduce-lr-on-plateau.js';
import { optimizerFromJSON, optimizerFromStateDict } from '../serialization/optimizer-from-json.js';
import { makeParameter } from '../testing/fixtures.js';
import type { OptimizerStateDict } from './types.js';

function trainedAdam(parameters: Parameter[], options = {}): Adam {
  const adam = new Adam(options);
  for (const parameter of parameters) parameter.grad.fill(0.5);
  adam.step(parameters);
  adam.step(parameters);
  return adam;
}

function catchError(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    if (error instanceof AnnetError) return error;
    throw error;
  }
  throw new Error('expected an AnnetError');
}

const model = () => [makeParameter('a.weights', [2, 2], [1, 2, 3, 4]), makeParameter('a.biases', [2], [0, 0])];

describe('stateDict', () => {
  it('splits scalars (JSON) from arrays keyed parameterName.slot, in the parameter dtype', () => {
    const dict = trainedAdam(model(), { amsgrad: true }).stateDict();
    expect(Object.keys(dict.arrays)).toEqual([
      'a.weights.firstMoment',
      'a.weights.secondMoment',
      'a.weights.maxSecondMoment',
      'a.biases.firstMoment',
      'a.biases.secondMoment',
      'a.biases.maxSecondMoment',
    ]);
    expect(dict.arrays['a.weights.firstMoment'].shape).toEqual([2, 2]);
    expect(dict.arrays['a.weights.firstMoment'].value).toBeInstanceOf(Float64Array);
    expect(dict.state).toEqual({
      stepCount: 2,
      schedules: {},
      parameters: {
        'a.weights': { step: 2, dtype: 'float64', shape: [2, 2], scalars: {} },
        'a.biases': { step: 2, dtype: 'float64', shape: [2], scalars: {} },
      },
    });
    expect(dict.config).toMatchObject({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0,
      amsgrad: true,
      maximize: false,
      groups: [],
    });
  });

  it('is a snapshot: stepping afterwards does not change it', () => {
    const parameters = model();
    const adam = trainedAdam(parameters);
    const dict = adam.stateDict();
    const copy = dict.arrays['a.weights.firstMoment'].value.slice();
    adam.step(parameters);
    expect(dict.arrays['a.weights.firstMoment'].value).toEqual(copy);
  });

  it("carries float64 scalars such as NAdam's muProduct in the JSON part", () => {
    const nadam = new NAdam();
    const parameter = makeParameter('w', [1], [1]);
    parameter.grad[0] = 1;
    nadam.step([parameter]);
    const muProduct = (nadam.stateDict().state as { parameters: Record<string, { scalars: { muProduct: number } }> })
      .parameters.w.scalars.muProduct;
    // μ1 = 0.9 (1 − ½ · 0.96^0.004) = 0.450073...
    expect(muProduct).toBeCloseTo(0.9 * (1 - 0.5 * 0.96 ** 0.004), 15);
  });
});

describe('loadStateDict', () => {
  it('loads strictly when everything matches and reports what it loaded', () => {
    const dict = trainedAdam(model()).stateDict();
    const fresh = new Adam();
    expect(fresh.loadStateDict(dict, { target: model() })).toEqual({
      loaded: ['a.weights', 'a.biases'],
      missing: [],
      unexpected: [],
      mismatched: [],
    });
    expect(fresh.stepCount).toBe(2);
  });

  it('raises one error listing every missing, unexpected and mismatched entry, and changes nothing', () => {
    const dict = trainedAdam(model()).stateDict();
    const target = [makeParameter('a.weights', [4], [1, 2, 3, 4]), makeParameter('b.weights', [1], [0])];
    const adam = new Adam();
    const error = catchError(() => adam.loadStateDict(dict, { target }));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.message).toBe(
      'Adam.loadStateDict: the saved state does not match (missing b.weights | unexpected a.biases | mismatched a.weights: shape [2,2] saved, [4] in the target); ' +
        "nothing was loaded. Fix the model or the optimizer's options, or pass { strict: false } to load what matches and get a report of the rest",
    );
    expect(adam.stepCount).toBe(0);
    expect(adam.parameterNames()).toEqual([]);
  });

  it('with strict: false loads what matches and reports the rest', () => {
    const dict = trainedAdam(model()).stateDict();
    const target = [makeParameter('a.weights', [2, 2], [1, 2, 3, 4]), makeParameter('b.weights', [1], [0])];
    const adam = new Adam();
    expect(adam.loadStateDict(dict, { target, strict: false })).toEqual({
      loaded: ['a.weights'],
      missing: ['b.weights'],
      unexpected: ['a.biases'],
      mismatched: [],
    });
    expect(adam.parameterNames()).toEqual(['a.weights']);
    expect(adam.stepCount).toBe(2);
  });

  it('finds missing and unexpected state arrays from the options (amsgrad added or removed)', () => {
    const dict = trainedAdam(model()).stateDict();
    const error = catchError(() => new Adam({ amsgrad: true }).loadStateDict(dict));
    expect(error.message).toContain('missing a.weights.maxSecondMoment, a.biases.maxSecondMoment');
    const withAmsgrad = trainedAdam(model(), { amsgrad: true }).stateDict();
    const report = new Adam().loadStateDict(withAmsgrad, { strict: false });
    expect(report.unexpected).toEqual(['a.weights.maxSecondMoment', 'a.biases.maxSecondMoment']);
    expect(report.loaded).toEqual(['a.weights', 'a.biases']);
  });

  it('reports arrays whose shape, length or dtype do not fit their entry', () => {
    const dict = trainedAdam(model()).stateDict();
    const broken: OptimizerStateDict = {
      ...dict,
      arrays: {
        ...dict.arrays,
        'a.weights.firstMoment': { shape: [4], value: new Float64Array(4) },
        'a.weights.secondMoment': { shape: [2, 2], value: new Float32Array(4) },
        'a.biases.firstMoment': { shape: [2], value: new Float64Array(3) },
      },
    };
    const report = new Adam().loadStateDict(broken, { strict: false });
    expect(report.mismatched).toEqual([
      "a.weights.firstMoment: shape [4] differs from the entry's [2,2]",
      'a.weights.secondMoment: value must be a Float64Array (the state is float64), got Float32Array',
      'a.biases.firstMoment: has 3 values, shape [2] needs 2',
    ]);
    expect(report.loaded).toEqual([]);
  });

  it('reports a dtype that differs from the target parameter', () => {
    const dict = trainedAdam(model()).stateDict();
    const target = [
      makeParameter('a.weights', [2, 2], [1, 2, 3, 4], 'float32'),
      makeParameter('a.biases', [2], [0, 0]),
    ];
    expect(new Adam().loadStateDict(dict, { target, strict: false }).mismatched).toEqual([
      'a.weights: dtype float64 saved, float32 in the target',
    ]);
  });

  it('refuses a state for another optimizer type, even when not strict', () => {
    const dict = trainedAdam(model()).stateDict();
    const error = catchError(() => new SGD().loadStateDict(dict, { strict: false }));
    expect(error.message).toBe(
      'SGD.loadStateDict: the state is for "Adam", this optimizer is SGD; rebuild it with optimizerFromStateDict(dict) or construct a "Adam"',
    );
  });

  it('raises a parse error for a malformed state', () => {
    const dict = trainedAdam(model()).stateDict();
    expect(
      catchError(() => new Adam().loadStateDict({ ...dict, state: { ...dict.state, stepCount: -1 } })).message,
    ).toBe('Adam.loadStateDict: state.stepCount must be an integer >= 0, got -1');
    const parameters = {
      'a.weights': { step: 1, dtype: 'float16', shape: [2, 2] },
      'a.biases': { step: 0.5, dtype: 'float64', shape: [2] },
    };
    expect(
      new Adam().loadStateDict({ ...dict, state: { ...dict.state, parameters } }, { strict: false }).mismatched,
    ).toEqual([
      'a.weights: dtype must be "float32" or "float64", got "float16"',
      'a.biases: step must be an integer >= 0, got 0.5',
    ]);
  });

  it('checks schedule state: missing when the saved optimizer had no plateau, unexpected the other way', () => {
    const plain = trainedAdam(model()).stateDict();
    const plateau = new Adam({ learningRate: reduceLROnPlateau({ learningRate: 0.01 }) });
    expect(plateau.loadStateDict({ ...plain, config: plateau.config }, { strict: false }).missing).toEqual([
      'schedules.learningRate',
    ]);
    const withPlateau = plateau.stateDict();
    expect(new Adam().loadStateDict(withPlateau, { strict: false }).unexpected).toEqual(['schedules.learningRate']);
  });
});

describe('optimizerFromJSON and optimizerFromStateDict', () => {
  it('rebuild the same type and config through the default registry', () => {
    const adam = trainedAdam(model(), { weightDecay: 0.1, groups: [{ names: ['a.biases'], weightDecay: 0 }] });
    const restored = optimizerFromJSON(JSON.parse(JSON.stringify(adam)));
    expect(restored).toBeInstanceOf(Adam);
    expect(restored.config).toEqual(adam.config);
    expect(JSON.stringify(restored)).toBe(JSON.stringify(adam));
    expect(JSON.stringify(optimizerFromStateDict(adam.stateDict()))).toBe(JSON.stringify(adam));
  });

  it("name an unknown type and the registry's contents", () => {
    const json = { ...trainedAdam(model()).toJSON(), type: 'Adamm' };
    const error = catchError(() => optimizerFromJSON(json));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      'optimizerFromJSON: unknown optimizer type "Adamm"; the registry has SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, Lion (pass a registry that includes it)',
    );
    expect(catchError(() => optimizerFromJSON(json, { Adam })).message).toContain('the registry has Adam (pass');
  });

  it('use only the registry they are given', () => {
    const json = trainedAdam(model()).toJSON();
    expect(() => optimizerFromJSON(json, { SGD })).toThrow('unknown optimizer type "Adam"');
    expect(optimizerFromJSON(json, { Adam })).toBeInstanceOf(Adam);
  });

  it('reject state lists that are not numbers', () => {
    const json = trainedAdam(model()).toJSON() as unknown as {
      state: { parameters: Record<string, { slots: Record<string, unknown> }> };
    };
    json.state.parameters['a.weights'].slots.firstMoment = [1, 'x', 3, 4];
    expect(catchError(() => optimizerFromJSON(json as never)).message).toBe(
      'Adam.loadJSON: state.parameters["a.weights"].slots.firstMoment must be a list of numbers (or "NaN", "Infinity", "-Infinity", "-0")',
    );
  });

  it('keep NaN, infinities and -0 in the state exactly', () => {
    const sgd = new SGD({ momentum: 0.9 });
    const parameter = makeParameter('w', [4], [1, 1, 1, 1]);
    parameter.grad.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0]);
    sgd.step([parameter]);
    const text = JSON.stringify(sgd);
    expect(text).toContain('"momentumBuffer":["NaN","Infinity","-Infinity","-0"]');
    const buffer = optimizerFromJSON(JSON.parse(text)).parameterState('w')?.slots.momentumBuffer;
    expect([...(buffer ?? [])].map((value) => (Object.is(value, -0) ? '-0' : String(value)))).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
    ]);
  });
});
