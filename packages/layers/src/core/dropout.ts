import type { JsonObject, JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, createRng, type Rng, type RngState, type Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { requireFloatInput } from '../layer-errors.js';
import { dropWithMask } from './dropout-mask.js';

/**
 * Options of {@link Dropout}.
 *
 * @example
 * const options: DropoutOptions = { seed: 1 };
 */
export interface DropoutOptions extends LayerOptions {
  /** Seed of the layer's own mask generator; default 0. */
  readonly seed?: number;
}

/**
 * Inverted dropout (Srivastava et al., 2014): while training, each element is kept with
 * probability 1 − rate and scaled by 1/(1 − rate), so the expected output equals the input;
 * otherwise it is the identity (the input tensor itself is returned).
 *
 * y = x ⊙ m / (1 − rate), mᵢ ~ Bernoulli(1 − rate); dx = dy ⊙ m / (1 − rate).
 *
 * The masks come from the layer's own seeded generator: element i is kept when the i-th
 * `rng.uniform()` of the pass is below 1 − rate. Its state is saved by `getState()` and restored by
 * `setState()`, so a resumed run draws the same masks; `initialize(rng)` reseeds it from a model's rng.
 *
 * @example
 * const dropout = new Dropout(0.5, { seed: 1 });
 * dropout.forward(x, { training: true });  // about half the elements zeroed, the rest doubled
 * dropout.forward(x, { training: false }); // x itself
 */
export class Dropout extends BaseLayer {
  /** Probability of dropping an element. */
  readonly rate: number;
  private readonly seed: number | undefined;
  private rng: Rng;

  constructor(rate: number, options: DropoutOptions = {}) {
    super('Dropout', 'dropout', options);
    if (!(rate >= 0 && rate < 1)) {
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `rate must be in [0, 1), got ${rate}`);
    }
    this.rate = rate;
    this.seed = options.seed;
    this.rng = createRng(options.seed ?? 0);
  }

  /** Rebuilds a Dropout from {@link Dropout.getConfig}. */
  static fromConfig(config: LayerConfig): Dropout {
    return new Dropout(config.rate as number, config as DropoutOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return this.seed === undefined ? { rate: this.rate } : { rate: this.rate, seed: this.seed };
  }

  /** Reseeds the mask generator with a 32-bit seed drawn from `rng`. */
  override initialize(rng: Rng): void {
    this.rng = createRng(rng.nextUint32());
  }

  /** The mask generator's state, `{ rng: { algorithm, words } }`. */
  getState(): JsonObject {
    return { rng: this.rng.state() as unknown as JsonObject };
  }

  /** Restores what {@link Dropout.getState} returned. */
  setState(state: JsonObject): void {
    const rngState = state?.rng as unknown as RngState | undefined;
    if (typeof rngState !== 'object' || rngState === null) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        `${this.operation}.setState`,
        `expected { rng: { algorithm, words } }, got ${JSON.stringify(state)}`,
      );
    }
    this.rng.setState(rngState);
  }

  /** Drops and rescales while training; returns `input` itself otherwise. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    requireFloatInput(this.operation, input);
    const training = options?.training ?? false;
    this.lastInput = input;
    this.lastTraining = training && this.rate > 0;
    if (!this.lastTraining) return input;
    const x = contiguousInput(input);
    const dtype = x.dtype as 'float32' | 'float64';
    const mask = this.workspace.buffer('mask', dtype, x.shape);
    const output = this.workspace.buffer('output', dtype, x.shape);
    dropWithMask(this.rng, 1 - this.rate, floatData(x), x.offset, floatData(mask), floatData(output), x.size);
    return output;
  }

  /** dx = dy ⊙ m / (1 − rate) after a training pass; `outputGradient` itself otherwise. */
  backward(outputGradient: Tensor): Tensor {
    const input = this.checkBackward(outputGradient, this.lastInput?.shape ?? [], this.lastInput?.dtype ?? this.dtype);
    if (!this.lastTraining) return outputGradient;
    const gradient = contiguousInput(outputGradient);
    const inputGradient = this.workspace.buffer('inputGradient', input.dtype as 'float32' | 'float64', input.shape);
    const maskData = floatData(this.workspace.current('mask') as Tensor);
    const gradientData = floatData(gradient);
    const inputGradientData = floatData(inputGradient);
    for (let index = 0; index < gradient.size; index++)
      inputGradientData[index] = maskData[index] * gradientData[gradient.offset + index];
    return inputGradient;
  }

  /** The same shape as the input. */
  outputShape(inputShape: readonly number[]): number[] {
    return inputShape.slice();
  }
}
