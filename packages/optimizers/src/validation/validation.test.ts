import { describe, expect, it } from 'vitest';
import { AnnetError } from '../annet-error.js';
import { ExponentialMovingAverage } from '../averaging/exponential-moving-average.js';
import { clipGradNorm } from '../gradients/clip-grad-norm.js';
import { clipGradValue } from '../gradients/clip-grad-value.js';
import { GradientAccumulator } from '../gradients/gradient-accumulator.js';
import { Adadelta } from '../optimizers/adadelta.js';
import { Adagrad } from '../optimizers/adagrad.js';
import { Adam } from '../optimizers/adam.js';
import { Adamax } from '../optimizers/adamax.js';
import { AdamW } from '../optimizers/adamw.js';
import { Lion } from '../optimizers/lion.js';
import { NAdam } from '../optimizers/nadam.js';
import { RAdam } from '../optimizers/radam.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import { cosineSchedule } from '../schedules/cosine.js';
import { exponentialSchedule } from '../schedules/exponential.js';
import { linearWarmupSchedule } from '../schedules/linear-warmup.js';
import { multiStepSchedule } from '../schedules/multi-step.js';
import { oneCycleSchedule } from '../schedules/one-cycle.js';
import { polynomialSchedule } from '../schedules/polynomial.js';
import { reduceLROnPlateau } from '../schedules/reduce-lr-on-plateau.js';
import { sequentialSchedule } from '../schedules/sequential.js';
import { stepSchedule } from '../schedules/step.js';
import { constantSchedule } from '../schedules/constant.js';
import { makeParameter } from '../testing/fixtures.js';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    expect((error as AnnetError).code).toMatch(/INVALID_ARGUMENT|SHAPE_MISMATCH|DTYPE_MISMATCH/);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const anything = (options: unknown) => options as never;

describe('optimizer options are checked at construction, with the fix in the message', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['beta1 above 1', () => new Adam({ beta1: 1.2 }), 'Adam: beta1 must be in [0, 1), got 1.2'],
    ['beta1 equal to 1', () => new AdamW({ beta1: 1 }), 'AdamW: beta1 must be in [0, 1), got 1'],
    ['beta2 negative', () => new NAdam({ beta2: -0.1 }), 'NAdam: beta2 must be in [0, 1), got -0.1'],
    ['beta2 NaN', () => new RAdam({ beta2: Number.NaN }), 'RAdam: beta2 must be in [0, 1), got NaN'],
    [
      'Adamax beta1 as text',
      () => new Adamax(anything({ beta1: '0.9' })),
      'Adamax: beta1 must be in [0, 1), got "0.9"',
    ],
    ['Lion beta2 above 1', () => new Lion({ beta2: 1.5 }), 'Lion: beta2 must be in [0, 1], got 1.5'],
    [
      'negative learning rate',
      () => new SGD({ learningRate: -0.1 }),
      'SGD: learningRate must be a number >= 0, got -0.1',
    ],
    [
      'infinite learning rate',
      () => new Adam({ learningRate: Number.POSITIVE_INFINITY }),
      'Adam: learningRate must be a number >= 0, got Infinity',
    ],
    [
      'learning rate as text',
      () => new Adam(anything({ learningRate: '1e-3' })),
      'Adam: learningRate must be a number >= 0 or a schedule config, got "1e-3"',
    ],
    ['negative epsilon', () => new Adam({ epsilon: -1 }), 'Adam: epsilon must be a number >= 0, got -1'],
    [
      'negative weight decay',
      () => new AdamW({ weightDecay: -0.01 }),
      'AdamW: weightDecay must be a number >= 0, got -0.01',
    ],
    ['negative momentum', () => new SGD({ momentum: -0.9 }), 'SGD: momentum must be a number >= 0, got -0.9'],
    ['dampening above 1', () => new SGD({ momentum: 0.9, dampening: 2 }), 'SGD: dampening must be in [0, 1], got 2'],
    [
      'Nesterov without momentum',
      () => new SGD({ nesterov: true }),
      'SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0; set momentum (for example 0.9) and dampening 0, or nesterov false',
    ],
    [
      'Nesterov with dampening',
      () => new SGD({ nesterov: true, momentum: 0.9, dampening: 0.1 }),
      'SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0.9 and dampening 0.1; set momentum (for example 0.9) and dampening 0, or nesterov false',
    ],
    ['amsgrad not a boolean', () => new Adam(anything({ amsgrad: 1 })), 'Adam: amsgrad must be true or false, got 1'],
    [
      'maximize not a boolean',
      () => new Adagrad(anything({ maximize: 'yes' })),
      'Adagrad: maximize must be true or false, got "yes"',
    ],
    ['alpha above 1', () => new RMSprop({ alpha: 1.5 }), 'RMSprop: alpha must be in [0, 1], got 1.5'],
    [
      'centered not a boolean',
      () => new RMSprop(anything({ centered: null })),
      'RMSprop: centered must be true or false, got null',
    ],
    ['negative lrDecay', () => new Adagrad({ lrDecay: -1 }), 'Adagrad: lrDecay must be a number >= 0, got -1'],
    [
      'negative initialAccumulatorValue',
      () => new Adagrad({ initialAccumulatorValue: -0.1 }),
      'Adagrad: initialAccumulatorValue must be a number >= 0, got -0.1',
    ],
    ['rho above 1', () => new Adadelta({ rho: 1.1 }), 'Adadelta: rho must be in [0, 1], got 1.1'],
    [
      'negative momentumDecay',
      () => new NAdam({ momentumDecay: -0.004 }),
      'NAdam: momentumDecay must be a number >= 0, got -0.004',
    ],
    [
      'decoupledWeightDecay not a boolean',
      () => new RAdam(anything({ decoupledWeightDecay: 'no' })),
      'RAdam: decoupledWeightDecay must be true or false, got "no"',
    ],
    ['PyTorch name lr', () => new Adam(anything({ lr: 0.1 })), 'Adam: unknown option lr; use learningRate'],
    [
      'PyTorch name betas',
      () => new Adam(anything({ betas: [0.9, 0.99] })),
      'Adam: unknown option betas; use beta1 and beta2',
    ],
    [
      'PyTorch name weight_decay',
      () => new AdamW(anything({ weight_decay: 0.1 })),
      'AdamW: unknown option weight_decay; use weightDecay',
    ],
    [
      'an option another optimizer has',
      () => new SGD(anything({ amsgrad: true })),
      'SGD: unknown option amsgrad; expected one of momentum, dampening, weightDecay, nesterov, maximize, learningRate, groups',
    ],
    ['options not an object', () => new Adam(anything(0.1)), 'Adam: options must be an object, got 0.1'],
    [
      'groups not a list',
      () => new Adam(anything({ groups: {} })),
      'Adam: groups must be a list of parameter groups, got {}',
    ],
    [
      'a group that is not an object',
      () => new Adam(anything({ groups: [3] })),
      'Adam: groups[0] must be an object, got 3',
    ],
    [
      'a group without selector',
      () => new Adam(anything({ groups: [{ weightDecay: 0 }] })),
      'Adam: groups[0] needs exactly one of names (a list of parameter names) or pattern (a regular expression string), got neither',
    ],
    [
      'a group with both selectors',
      () => new Adam(anything({ groups: [{ names: ['a'], pattern: 'b' }] })),
      'Adam: groups[0] needs exactly one of names (a list of parameter names) or pattern (a regular expression string), got both',
    ],
    [
      'a group with a match function',
      () =>
        new AdamW(
          anything({
            groups: [{ pattern: 'x' }, { match: (name: string) => name.endsWith('.biases'), weightDecay: 0 }],
          }),
        ),
      'AdamW: unknown option groups[1].match; use names: [...] or pattern: "regular expression" (a function cannot be saved)',
    ],
    [
      'group names not strings',
      () => new Adam(anything({ groups: [{ names: [1] }] })),
      'Adam: groups[0].names must be a list of parameter names, got [1]',
    ],
    [
      'a group pattern that does not compile',
      () => new Adam({ groups: [{ pattern: '(' }] }),
      'Adam: groups[0].pattern "(" is not a valid regular expression (Invalid regular expression: /(/: Unterminated group)',
    ],
    [
      'a group pattern that is not a string',
      () => new Adam(anything({ groups: [{ pattern: /x/ }] })),
      'Adam: groups[0].pattern must be a regular expression string such as "\\\\.biases$", got the RegExp /x/',
    ],
    [
      'a bad value in a group',
      () => new Adam({ groups: [{ names: ['a'], beta1: 1.2 }] }),
      'Adam: groups[0].beta1 must be in [0, 1), got 1.2',
    ],
    [
      'an unknown key in a group',
      () => new Adam(anything({ groups: [{ names: ['a'], lr: 1 }] })),
      'Adam: unknown option groups[0].lr; use learningRate',
    ],
    [
      'an invalid combination in a group',
      () => new SGD({ momentum: 0.9, nesterov: true, groups: [{ names: ['a'], momentum: 0 }] }),
      'SGD: groups[0].nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0; set momentum (for example 0.9) and dampening 0, or nesterov false',
    ],
    [
      'a group learning rate below 0',
      () => new Adam({ groups: [{ names: ['a'], learningRate: -1 }] }),
      'Adam: groups[0].learningRate must be a number >= 0, got -1',
    ],
    [
      'an unknown schedule type',
      () => new Adam(anything({ learningRate: { type: 'cosin' } })),
      'Adam: learningRate.type must be one of constant, step, multiStep, exponential, cosine, linearWarmup, polynomial, oneCycle, sequential, reduceLROnPlateau, got "cosin"',
    ],
    [
      'a bad schedule field inside an optimizer',
      () => new Adam(anything({ learningRate: { type: 'cosine', initialLearningRate: 1, totalSteps: 0 } })),
      'Adam: learningRate.totalSteps must be an integer >= 1, got 0',
    ],
  ];
  it.each(cases)('%s', (_label, run, message) => {
    expect(messageOf(run)).toBe(message);
  });
});

describe('schedules are checked when built', () => {
  const cases: Array<[string, () => unknown, string]> = [
    [
      'constant below 0',
      () => constantSchedule({ learningRate: -1 }),
      'constantSchedule: learningRate must be a number >= 0, got -1',
    ],
    [
      'step without stepSize',
      () => stepSchedule(anything({ initialLearningRate: 1 })),
      'stepSchedule: stepSize is required',
    ],
    [
      'step with a fractional stepSize',
      () => stepSchedule({ initialLearningRate: 1, stepSize: 2.5 }),
      'stepSchedule: stepSize must be an integer >= 1, got 2.5',
    ],
    [
      'multiStep with unsorted milestones',
      () => multiStepSchedule({ initialLearningRate: 1, milestones: [30, 10] }),
      'multiStepSchedule: milestones must be a strictly increasing list of integers >= 1, got [30,10]',
    ],
    [
      'exponential with a negative gamma',
      () => exponentialSchedule({ initialLearningRate: 1, gamma: -0.5 }),
      'exponentialSchedule: gamma must be a number >= 0, got -0.5',
    ],
    [
      'cosine with warmup as long as the run',
      () => cosineSchedule({ initialLearningRate: 1, totalSteps: 10, warmupSteps: 10 }),
      'cosineSchedule: warmupSteps must be less than totalSteps (10), got 10',
    ],
    [
      'cosine with a PyTorch name',
      () => cosineSchedule(anything({ initialLearningRate: 1, T_max: 10 })),
      'cosineSchedule: unknown option T_max; use totalSteps',
    ],
    [
      'linearWarmup without warmup steps',
      () => linearWarmupSchedule({ learningRate: 1, warmupSteps: 0 }),
      'linearWarmupSchedule: warmupSteps must be an integer >= 1, got 0',
    ],
    [
      'polynomial with power 0',
      () => polynomialSchedule({ initialLearningRate: 1, totalSteps: 10, power: 0 }),
      'polynomialSchedule: power must be a number > 0, got 0',
    ],
    [
      'oneCycle with percentStart 1',
      () => oneCycleSchedule({ maxLearningRate: 1, totalSteps: 100, percentStart: 1 }),
      'oneCycleSchedule: percentStart must be in (0, 1), got 1',
    ],
    [
      'oneCycle with an empty first phase',
      () => oneCycleSchedule({ maxLearningRate: 1, totalSteps: 3, percentStart: 0.3 }),
      'oneCycleSchedule: percentStart 0.3 leaves an empty phase over totalSteps 3; choose percentStart so that percentStart * totalSteps > 1 and the later phases keep at least one step',
    ],
    [
      'oneCycle with an unknown anneal strategy',
      () => oneCycleSchedule(anything({ maxLearningRate: 1, totalSteps: 100, annealStrategy: 'cosine' })),
      'oneCycleSchedule: annealStrategy must be one of "cos", "linear", got "cosine"',
    ],
    [
      'sequential with too few milestones',
      () => sequentialSchedule([constantSchedule({ learningRate: 1 }), constantSchedule({ learningRate: 2 })], []),
      'sequentialSchedule: milestones must have one entry fewer than schedules (1), got 0',
    ],
    [
      'sequential with no schedules',
      () => sequentialSchedule([], []),
      'sequentialSchedule: schedules must be a non-empty list of schedules, got []',
    ],
    [
      'sequential with a bad part',
      () => sequentialSchedule([anything({ type: 'step', initialLearningRate: 1 })], []),
      'sequentialSchedule: schedules[0].stepSize is required',
    ],
    [
      'plateau nested in sequential',
      () => sequentialSchedule([reduceLROnPlateau({ learningRate: 1 }) as never], []),
      'sequentialSchedule: schedules[0].type "reduceLROnPlateau" cannot be nested; use it only as an optimizer\'s learningRate (it may wrap this schedule)',
    ],
    [
      'plateau with factor 1',
      () => reduceLROnPlateau({ learningRate: 1, factor: 1 }),
      'reduceLROnPlateau: factor must be in [0, 1), got 1',
    ],
    [
      'plateau with an unknown mode',
      () => reduceLROnPlateau(anything({ learningRate: 1, mode: 'lowest' })),
      'reduceLROnPlateau: mode must be one of "min", "max", got "lowest"',
    ],
    [
      'plateau with a negative base rate',
      () => reduceLROnPlateau({ learningRate: -1 }),
      'reduceLROnPlateau: learningRate must be a number >= 0, got -1',
    ],
    [
      'plateau with PyTorch min_lr',
      () => reduceLROnPlateau(anything({ learningRate: 1, min_lr: 0.1 })),
      'reduceLROnPlateau: unknown option min_lr; use minLearningRate',
    ],
  ];
  it.each(cases)('%s', (_label, run, message) => {
    expect(messageOf(run)).toBe(message);
  });
});

describe('step, utilities and averages check their inputs', () => {
  const parameter = () => makeParameter('w', [2], [1, 2]);
  const cases: Array<[string, () => unknown, string]> = [
    [
      'a target that is neither layer nor list',
      () => new SGD().step(anything({ name: 'x' })),
      'SGD.step: expected a layer or model (an object with parameters()) or an array of parameters, got {"name":"x"}',
    ],
    [
      'a gradient of the wrong length',
      () => new Adam().step([{ ...parameter(), grad: new Float64Array(3) }]),
      'Adam.step: parameter "w" has 2 values but its gradient has 3; the gradient must have the parameter\'s shape [2]',
    ],
    [
      'a shape that does not match the values',
      () => new Adam().step([{ ...parameter(), shape: [3] }]),
      'Adam.step: parameter "w" has shape [3] but 2 values',
    ],
    [
      'a gradient that is not a typed array',
      () => new Adam().step(anything([{ ...parameter(), grad: [1, 2] }])),
      'Adam.step: the gradient of "w" must be a Float32Array or Float64Array, got [object Array]',
    ],
    [
      'a parameter whose dtype changed',
      () => {
        const adam = new Adam();
        adam.step([parameter()]);
        adam.step([makeParameter('w', [2], [1, 2], 'float32')]);
      },
      'Adam.step: parameter "w" is float32 but its optimizer state is float64; call resetState("w") to start its state afresh',
    ],
    [
      'a metric that is not a number',
      () => new Adam().observeMetric(anything('low')),
      'Adam.observeMetric: metric must be a number, got "low"',
    ],
    [
      'clipGradNorm with a negative maximum',
      () => clipGradNorm([parameter()], -1),
      'clipGradNorm: maxNorm must be a number >= 0, got -1',
    ],
    [
      'clipGradNorm with norm type 0',
      () => clipGradNorm([parameter()], 1, 0),
      'clipGradNorm: normType must be a number > 0 (2 for the Euclidean norm, Infinity for the largest magnitude), got 0',
    ],
    [
      'clipGradValue with NaN',
      () => clipGradValue([parameter()], Number.NaN),
      'clipGradValue: clipValue must be a number >= 0, got NaN',
    ],
    [
      'GradientAccumulator with 0 steps',
      () => new GradientAccumulator({ steps: 0 }),
      'GradientAccumulator: steps must be an integer >= 1 (micro-batches per optimizer step), got 0',
    ],
    [
      'GradientAccumulator with a text flag',
      () => new GradientAccumulator(anything({ steps: 2, average: 'yes' })),
      'GradientAccumulator: average must be true or false, got "yes"',
    ],
    [
      'ExponentialMovingAverage with decay above 1',
      () => new ExponentialMovingAverage({ decay: 1.5 }),
      'ExponentialMovingAverage: decay must be in [0, 1], got 1.5',
    ],
    [
      'ExponentialMovingAverage on a reshaped parameter',
      () => {
        const ema = new ExponentialMovingAverage();
        ema.update([parameter()]);
        ema.swap([makeParameter('w', [1, 2], [1, 2])]);
      },
      'ExponentialMovingAverage.swap: parameter "w" has shape [1,2] but its average has [2]',
    ],
  ];
  it.each(cases)('%s', (_label, run, message) => {
    expect(messageOf(run)).toBe(message);
  });

  it('clipGradNorm can refuse a non-finite norm', () => {
    const p = parameter();
    p.grad[0] = Number.NaN;
    expect(() => clipGradNorm([p], 1, 2, { errorIfNonfinite: true })).toThrow(
      'clipGradNorm: the total gradient norm is NaN; check the loss for NaN or infinity, or pass errorIfNonfinite: false',
    );
  });
});
