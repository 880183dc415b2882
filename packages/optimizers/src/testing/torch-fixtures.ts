import { readFileSync } from 'node:fs';

/** A number as the fixture stores it: JSON has no NaN or infinity, so those are strings. */
export type FixtureNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A fixture number as a JavaScript number. */
export function fixtureNumber(value: FixtureNumber): number {
  return typeof value === 'number' ? value : Number(value);
}

/** One scheduler case: the lr of a two-group SGD (lr 0.1, and a group with lr 0.02) before each step. */
export interface GroupRatesCase {
  readonly name: string;
  readonly schedule: Record<string, unknown>;
  readonly rates: readonly (readonly [number, number])[];
}

/** One OneCycleLR trajectory (cycle_momentum as given) of a [6] float64 parameter from stored gradients. */
export interface OneCycleCase {
  readonly name: string;
  readonly optimizer: 'SGD' | 'RMSprop' | 'Adam' | 'AdamW';
  readonly options: Record<string, unknown>;
  readonly schedule: Record<string, unknown>;
  readonly momentumName: 'momentum' | 'betas';
  readonly rates: readonly number[];
  readonly momenta: readonly number[];
  readonly thetas: readonly (readonly number[])[];
}

/** One clip_grad_norm_ call: gradients before and after, and the returned norm. */
export interface ClipCase {
  readonly name: string;
  readonly gradients: readonly (readonly FixtureNumber[])[];
  readonly maxNorm: number;
  readonly normType: FixtureNumber;
  readonly norm: FixtureNumber;
  readonly clipped: readonly (readonly FixtureNumber[])[];
}

/** What `fixtures/make-torch-optimizer-fixtures.py` wrote with real PyTorch (CI has no torch). */
export interface TorchOptimizerFixtures {
  readonly torch: string;
  readonly groupRates: readonly GroupRatesCase[];
  readonly oneCycle: readonly OneCycleCase[];
  readonly clipGradNorm: readonly ClipCase[];
  readonly theta0: readonly number[];
  readonly gradients: readonly (readonly number[])[];
}

/** The committed PyTorch fixtures. */
export const torchFixtures: TorchOptimizerFixtures = JSON.parse(
  readFileSync(new URL('../fixtures/torch-optimizers.json', import.meta.url), 'utf8'),
) as TorchOptimizerFixtures;
