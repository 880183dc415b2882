import type { Optimizer } from '../core/optimizer.js';
import type { Hyperparameters } from '../core/types.js';
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

/**
 * A class an optimizer can be rebuilt with: constructed from its saved `config`. The options
 * parameter is `never` so that every optimizer class, whatever its options type, fits.
 */
export type OptimizerClass = new (options: never) => Optimizer<Hyperparameters>;

/** Optimizer classes by `type` name, for `optimizerFromJSON` and `optimizerFromStateDict`. */
export type OptimizerRegistry = { readonly [type: string]: OptimizerClass };

/**
 * The built-in optimizers by type name: a plain object built once, with no import-time
 * registration. Spread it to add your own: `{ ...defaultOptimizerRegistry, MyOptimizer }`.
 *
 * @example
 * const optimizer = optimizerFromJSON(json, { ...defaultOptimizerRegistry, MyOptimizer });
 */
export const defaultOptimizerRegistry: OptimizerRegistry = {
  SGD,
  Adam,
  AdamW,
  RMSprop,
  Adagrad,
  Adadelta,
  Adamax,
  NAdam,
  RAdam,
  Lion,
};
