import { describe, expect, it } from 'vitest';
import type { Parameter } from '@annet/layer-api';
import { AnnetError } from '../annet-error.js';
import { Adam } from '../optimizers/adam.js';
import { SGD } from '../optimizers/sgd.js';
import { bitsEqual, makeParameter, makeTrainable, variedGradients } from '../testing/fixtures.js';

function layer(name: string, seed: number): Parameter[] {
  return [
    makeParameter(
      `${name}.weights`,
      [2, 3],
      [0.1, -0.2, 0.3, 0.4, -0.5, 0.6].map((v) => v * seed),
    ),
    makeParameter(`${name}.biases`, [3], [0, 0.1, -0.1]),
  ];
}

function setGradients(parameters: Parameter[], step: number): void {
  parameters.forEach((parameter, index) =>
    parameter.grad.set(variedGradients(step + 1, parameter.value.length, 100 + index)[step]),
  );
}

describe('state keyed by parameter name', () => {
  it('survives adding a layer: existing parameters continue exactly as without it', () => {
    const alone = layer('dense_1', 1);
    const grown = layer('dense_1', 1);
    const added = layer('dense_2', 2);
    const optimizerAlone = new Adam({ learningRate: 0.01 });
    const optimizerGrown = new Adam({ learningRate: 0.01 });
    for (let step = 0; step < 6; step++) {
      setGradients(alone, step);
      setGradients(grown, step);
      optimizerAlone.step(alone);
      // From step 3 on, a new layer is inserted in front of the old one: positions shift, names do not.
      const target = step < 3 ? grown : [...added, ...grown];
      if (step >= 3) added.forEach((parameter) => parameter.grad.fill(0.5));
      optimizerGrown.step(target);
    }
    alone.forEach((parameter, index) => expect(bitsEqual(parameter.value, grown[index].value)).toBe(true));
    expect(optimizerGrown.parameterState('dense_1.weights')?.step).toBe(6);
    expect(optimizerGrown.parameterState('dense_2.weights')?.step).toBe(3);
    expect(optimizerGrown.parameterNames()).toEqual([
      'dense_1.weights',
      'dense_1.biases',
      'dense_2.weights',
      'dense_2.biases',
    ]);
  });

  it('skips frozen parameters and keeps their state and step count untouched', () => {
    const parameters = layer('dense_1', 1);
    const adam = new Adam({ learningRate: 0.01 });
    setGradients(parameters, 0);
    adam.step(makeTrainable('dense_1', parameters));
    const frozen = parameters[0];
    const before = frozen.value.slice();
    const stateBefore = adam.parameterState(frozen.name)?.slots.firstMoment.slice();
    frozen.trainable = false;
    setGradients(parameters, 1);
    adam.step(makeTrainable('dense_1', parameters));
    expect(bitsEqual(frozen.value, before)).toBe(true);
    expect(adam.parameterState(frozen.name)?.step).toBe(1);
    expect(
      bitsEqual(adam.parameterState(frozen.name)?.slots.firstMoment as Float64Array, stateBefore as Float64Array),
    ).toBe(true);
    expect(adam.parameterState(parameters[1].name)?.step).toBe(2);
    expect(adam.stepCount).toBe(2);
    // Unfrozen, it resumes its own bias correction at its own step 2.
    frozen.trainable = true;
    adam.step(parameters);
    expect(adam.parameterState(frozen.name)?.step).toBe(2);
    expect(adam.parameterState(parameters[1].name)?.step).toBe(3);
  });

  it('gives the same result whatever the order of the parameters', () => {
    const forward = layer('dense', 1);
    const reversed = layer('dense', 1);
    const a = new SGD({ learningRate: 0.1, momentum: 0.9 });
    const b = new SGD({ learningRate: 0.1, momentum: 0.9 });
    for (let step = 0; step < 4; step++) {
      setGradients(forward, step);
      setGradients(reversed, step);
      a.step(forward);
      b.step([...reversed].reverse());
    }
    forward.forEach((parameter, index) => expect(bitsEqual(parameter.value, reversed[index].value)).toBe(true));
  });

  it('step(layer, gradients) takes gradients by name and skips parameters without one', () => {
    const parameters = layer('dense', 1);
    const sgd = new SGD({ learningRate: 0.5 });
    const biasesBefore = parameters[1].value.slice();
    sgd.step(makeTrainable('dense', parameters), { 'dense.weights': new Float64Array([1, 1, 1, 1, 1, 1]) });
    expect([...parameters[0].value]).toEqual([0.1, -0.2, 0.3, 0.4, -0.5, 0.6].map((v) => v - 0.5));
    expect(bitsEqual(parameters[1].value, biasesBefore)).toBe(true);
    expect(sgd.parameterState('dense.biases')).toBeUndefined();
  });

  it('rejects a gradient for a name the layer does not have, before changing anything', () => {
    const parameters = layer('dense', 1);
    const before = parameters[0].value.slice();
    const sgd = new SGD();
    expect(() =>
      sgd.step(parameters, { 'dense.weights': new Float64Array(6), 'dense.wieghts': new Float64Array(6) }),
    ).toThrow(
      'SGD.step: gradients given for "dense.wieghts", which the target has no parameter of; expected names among dense.weights, dense.biases',
    );
    expect(bitsEqual(parameters[0].value, before)).toBe(true);
    expect(sgd.stepCount).toBe(0);
  });

  it('rejects two parameters with the same name, and a changed shape, without updating any', () => {
    const sgd = new SGD({ learningRate: 0.1 });
    const a = makeParameter('x', [2], [1, 2]);
    const b = makeParameter('x', [2], [3, 4]);
    expect(() => sgd.step([a, b])).toThrow(
      'SGD.step: two parameters are named "x"; optimizer state is keyed by name, so names must be unique',
    );
    expect([...a.value]).toEqual([1, 2]);
    sgd.step([a]);
    const reshaped = makeParameter('x', [1, 2], [1, 2]);
    const error = (() => {
      try {
        sgd.step([reshaped]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AnnetError);
    expect((error as AnnetError).code).toBe('SHAPE_MISMATCH');
    expect((error as AnnetError).message).toBe(
      'SGD.step: parameter "x" has shape [1,2] but its optimizer state has [2]; call resetState("x") to start its state afresh',
    );
    sgd.resetState('x');
    sgd.step([reshaped]);
    expect(sgd.parameterState('x')?.shape).toEqual([1, 2]);
  });

  it("keeps each parameter's state in the parameter's own array type", () => {
    const adam = new Adam();
    const single = makeParameter('a', [2], [1, 2], 'float32');
    const double = makeParameter('b', [2], [1, 2], 'float64');
    adam.step([single, double]);
    expect(adam.parameterState('a')?.slots.firstMoment).toBeInstanceOf(Float32Array);
    expect(adam.parameterState('b')?.slots.secondMoment).toBeInstanceOf(Float64Array);
  });
});
