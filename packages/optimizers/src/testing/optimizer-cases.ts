import type { Optimizer } from '../core/optimizer.js';
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

/** Options as tests pass them: plain JSON. */
export type TestOptions = Record<string, unknown>;

/** One optimizer class with option sets that switch on every one of its options. */
export interface OptimizerCase {
  readonly label: string;
  readonly create: (options: TestOptions) => Optimizer<never>;
  readonly optionSets: readonly TestOptions[];
}

const biasGroup = { pattern: '\\.biases$', weightDecay: 0 };

/** Every built-in optimizer, with option sets covering all its options (and a parameter group). */
export const optimizerCases: readonly OptimizerCase[] = [
  {
    label: 'SGD',
    create: (o) => new SGD(o as never) as never,
    optionSets: [
      {},
      { momentum: 0.9, dampening: 0.1, weightDecay: 0.01 },
      { momentum: 0.9, nesterov: true, maximize: true, groups: [{ ...biasGroup, momentum: 0, nesterov: false }] },
    ],
  },
  {
    label: 'Adam',
    create: (o) => new Adam(o as never) as never,
    optionSets: [
      {},
      { amsgrad: true, weightDecay: 0.01, maximize: true, epsilon: 1e-6, groups: [{ ...biasGroup, amsgrad: false }] },
    ],
  },
  {
    label: 'AdamW',
    create: (o) => new AdamW(o as never) as never,
    optionSets: [{}, { amsgrad: true, beta1: 0.8, beta2: 0.99, groups: [biasGroup] }],
  },
  {
    label: 'RMSprop',
    create: (o) => new RMSprop(o as never) as never,
    optionSets: [
      {},
      {
        centered: true,
        momentum: 0.9,
        weightDecay: 0.01,
        alpha: 0.9,
        maximize: true,
        groups: [{ ...biasGroup, centered: false }],
      },
    ],
  },
  {
    label: 'Adagrad',
    create: (o) => new Adagrad(o as never) as never,
    optionSets: [
      {},
      { lrDecay: 0.01, initialAccumulatorValue: 0.1, weightDecay: 0.01, maximize: true, groups: [biasGroup] },
    ],
  },
  {
    label: 'Adadelta',
    create: (o) => new Adadelta(o as never) as never,
    optionSets: [{}, { rho: 0.8, epsilon: 1e-5, weightDecay: 0.01, maximize: true, groups: [biasGroup] }],
  },
  {
    label: 'Adamax',
    create: (o) => new Adamax(o as never) as never,
    optionSets: [{}, { beta1: 0.8, weightDecay: 0.01, maximize: true, groups: [biasGroup] }],
  },
  {
    label: 'NAdam',
    create: (o) => new NAdam(o as never) as never,
    optionSets: [
      {},
      { weightDecay: 0.01, momentumDecay: 0.01, maximize: true },
      { weightDecay: 0.01, decoupledWeightDecay: true, groups: [biasGroup] },
    ],
  },
  {
    label: 'RAdam',
    create: (o) => new RAdam(o as never) as never,
    optionSets: [
      {},
      { weightDecay: 0.01, beta2: 0.9, maximize: true },
      { weightDecay: 0.01, decoupledWeightDecay: true, groups: [biasGroup] },
    ],
  },
  {
    label: 'Lion',
    create: (o) => new Lion(o as never) as never,
    optionSets: [{}, { weightDecay: 0.1, beta1: 0.95, maximize: true, groups: [biasGroup] }],
  },
];
