import { expectTypeOf, test } from 'vitest';
import type { FloatArray, JsonObject } from '@annet/layer-api';
import {
  Adam,
  AdamW,
  SGD,
  cosineSchedule,
  optimizerFromJSON,
  type LoadReport,
  type OptimizerStateDict,
} from './index.js';

test('options take PyTorch names in camelCase and reject the originals', () => {
  new Adam({ learningRate: cosineSchedule({ initialLearningRate: 1e-3, totalSteps: 100 }), beta1: 0.9, amsgrad: true });
  new AdamW({
    groups: [
      { pattern: '\\.biases$', weightDecay: 0 },
      { names: ['head.weights'], learningRate: 1e-4 },
    ],
  });
  // @ts-expect-error lr is spelled learningRate
  new Adam({ lr: 1e-3 });
  // @ts-expect-error a group needs names or pattern, not a function
  new AdamW({ groups: [{ match: (name: string) => name.endsWith('.biases'), weightDecay: 0 }] });
  // @ts-expect-error SGD has no amsgrad
  new SGD({ amsgrad: true });
});

test('the state dict has the shape the checkpoint format relies on', () => {
  expectTypeOf<OptimizerStateDict>().toExtend<{
    type: string;
    config: JsonObject;
    state: JsonObject;
    arrays: Record<string, { shape: number[]; value: Float32Array | Float64Array }>;
  }>();
  expectTypeOf<SGD['loadStateDict']>().returns.toEqualTypeOf<LoadReport>();
  expectTypeOf<LoadReport['missing']>().toEqualTypeOf<readonly string[]>();
});

test('step takes a trainable, a parameter list, or a layer and gradients by name', () => {
  const sgd = new SGD();
  const gradients: Record<string, FloatArray> = { 'dense.weights': new Float32Array(4) };
  expectTypeOf(sgd.step).toBeCallableWith({ name: 'dense', parameters: () => [] });
  expectTypeOf(sgd.step).toBeCallableWith([]);
  expectTypeOf(sgd.step).toBeCallableWith({ name: 'dense', parameters: () => [] }, gradients);
  expectTypeOf(optimizerFromJSON(sgd.toJSON()).stepCount).toEqualTypeOf<number>();
});
