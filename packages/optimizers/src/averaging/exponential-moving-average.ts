import type { FloatArray, FloatDType, JsonObject, JsonValue } from '@annet/layer-api';
import { AnnetError, formatShape, formatValue } from '../annet-error.js';
import { parametersOf } from '../core/step.js';
import { allocateArray, sameShape } from '../core/step.js';
import type { StateArray, StepTarget } from '../core/types.js';
import { decodeArray, encodeArray } from '../serialization/json-numbers.js';
import { checkFields } from '../validation/fields.js';
import { isBoolean, numberIn } from '../validation/rules.js';

/** Options of {@link ExponentialMovingAverage}. */
export interface ExponentialMovingAverageOptions {
  /** Weight of the old average, in [0, 1]; default 0.999. */
  readonly decay?: number;
  /** Use `min(decay, (1 + n) / (10 + n))` at the n-th update (TensorFlow's `num_updates`), so early averages are not dominated by the initial weights. Default false. */
  readonly warmup?: boolean;
}

/** The EMA as JSON, as `toJSON()` writes it. */
export interface ExponentialMovingAverageJson {
  readonly type: 'ExponentialMovingAverage';
  readonly config: JsonObject;
  readonly state: JsonObject;
}

interface Shadow {
  readonly shape: readonly number[];
  readonly dtype: FloatDType;
  readonly values: FloatArray;
}

const fields = { decay: { rule: numberIn(0, 1), default: 0.999 }, warmup: { rule: isBoolean, default: false } };

/**
 * An exponential moving average of the weights (Polyak averaging), kept by parameter name, often
 * better for evaluation than the raw weights. After each optimizer step call `update`; to
 * evaluate with the averages, `swap` them into the model and `swap` again to continue training.
 * `shadow ← d · shadow + (1 − d) · value`, the shadow starting as a copy of the value.
 *
 * @example
 * const ema = new ExponentialMovingAverage({ decay: 0.999 });
 * optimizer.step(model);
 * ema.update(model);
 * ema.swap(model); evaluate(model); ema.swap(model);
 */
export class ExponentialMovingAverage {
  readonly #decay: number;
  readonly #warmup: boolean;
  readonly #shadows = new Map<string, Shadow>();
  #updates = 0;

  constructor(options: ExponentialMovingAverageOptions = {}) {
    const checked = checkFields('ExponentialMovingAverage', '', options, fields);
    this.#decay = checked.decay as number;
    this.#warmup = checked.warmup as boolean;
  }

  /** Number of `update` calls so far. */
  get updates(): number {
    return this.#updates;
  }

  /** The decay the next `update` uses. */
  currentDecay(): number {
    return this.#warmup ? Math.min(this.#decay, (1 + this.#updates) / (10 + this.#updates)) : this.#decay;
  }

  /** Moves each trainable parameter's average towards its current value. */
  update(target: StepTarget): void {
    const decay = this.currentDecay();
    const keep = 1 - decay;
    for (const parameter of parametersOf(target, 'ExponentialMovingAverage.update')) {
      if (parameter.trainable === false) continue;
      const shadow = this.#shadows.get(parameter.name);
      if (shadow === undefined) {
        const dtype = parameter.value instanceof Float32Array ? 'float32' : 'float64';
        this.#shadows.set(parameter.name, { shape: [...parameter.shape], dtype, values: parameter.value.slice() });
        continue;
      }
      this.#check(shadow, parameter.name, parameter.shape, 'update');
      const values = shadow.values;
      const current = parameter.value;
      for (let i = 0; i < values.length; i++) values[i] = decay * values[i] + keep * current[i];
    }
    this.#updates += 1;
  }

  /** Exchanges each averaged parameter's value with its average; calling it twice restores the model exactly. */
  swap(target: StepTarget): void {
    const parameters = parametersOf(target, 'ExponentialMovingAverage.swap');
    for (const parameter of parameters) {
      const shadow = this.#shadows.get(parameter.name);
      if (shadow !== undefined) this.#check(shadow, parameter.name, parameter.shape, 'swap');
    }
    for (const parameter of parameters) {
      const shadow = this.#shadows.get(parameter.name);
      if (shadow === undefined) continue;
      const values = shadow.values;
      const current = parameter.value;
      for (let i = 0; i < values.length; i++) {
        const average = values[i];
        values[i] = current[i];
        current[i] = average;
      }
    }
  }

  /** The average of one parameter (live array), or `undefined` if it has none yet. */
  average(name: string): FloatArray | undefined {
    return this.#shadows.get(name)?.values;
  }

  #check(shadow: Shadow, name: string, shape: readonly number[], verb: string): void {
    if (!sameShape(shadow.shape, shape)) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        `ExponentialMovingAverage.${verb}`,
        `parameter "${name}" has shape ${formatShape(shape)} but its average has ${formatShape(shadow.shape)}`,
      );
    }
  }

  /** `{ decay, warmup }`. */
  get config(): JsonObject {
    return { decay: this.#decay, warmup: this.#warmup };
  }

  /** For checkpoints: JSON (`config`, `state` with the update count and each average's dtype and shape) and the averages as arrays keyed `${name}.average`. */
  stateDict(): {
    type: 'ExponentialMovingAverage';
    config: JsonObject;
    state: JsonObject;
    arrays: Record<string, StateArray>;
  } {
    const parameters: Record<string, JsonValue> = {};
    const arrays: Record<string, StateArray> = {};
    for (const [name, shadow] of this.#shadows) {
      parameters[name] = { dtype: shadow.dtype, shape: [...shadow.shape] };
      arrays[`${name}.average`] = { shape: [...shadow.shape], value: shadow.values.slice() };
    }
    return {
      type: 'ExponentialMovingAverage',
      config: this.config,
      state: { updates: this.#updates, parameters },
      arrays,
    };
  }

  /** Replaces the averages and update count with saved ones (checked first; nothing changes on error). */
  loadStateDict(dict: { state: JsonObject; arrays: { readonly [key: string]: StateArray } }): void {
    const operation = 'ExponentialMovingAverage.loadStateDict';
    const { updates, parameters } = (dict?.state ?? {}) as { updates?: unknown; parameters?: unknown };
    if (!Number.isSafeInteger(updates) || (updates as number) < 0)
      throw new AnnetError(
        'PARSE_ERROR',
        operation,
        `state.updates must be an integer >= 0, got ${formatValue(updates)}`,
      );
    if (typeof parameters !== 'object' || parameters === null)
      throw new AnnetError(
        'PARSE_ERROR',
        operation,
        `state.parameters must be an object, got ${formatValue(parameters)}`,
      );
    const shadows = new Map<string, Shadow>();
    for (const [name, entry] of Object.entries(parameters as Record<string, { dtype?: unknown; shape?: unknown }>)) {
      const array = dict.arrays?.[`${name}.average`];
      const dtype = entry?.dtype;
      const shape = entry?.shape;
      const type = dtype === 'float32' ? Float32Array : Float64Array;
      const size = Array.isArray(shape)
        ? shape.reduce((product: number, dimension: number) => product * dimension, 1)
        : -1;
      if (
        (dtype !== 'float32' && dtype !== 'float64') ||
        !Array.isArray(shape) ||
        !(array?.value instanceof type) ||
        array.value.length !== size
      ) {
        throw new AnnetError(
          'PARSE_ERROR',
          operation,
          `the average of "${name}" must be a ${dtype === 'float64' ? 'Float64Array' : 'Float32Array'} of shape ${Array.isArray(shape) ? formatShape(shape) : formatValue(shape)} under arrays["${name}.average"]`,
        );
      }
      const values = allocateArray(dtype, size);
      values.set(array.value);
      shadows.set(name, { shape: [...shape], dtype, values });
    }
    this.#shadows.clear();
    for (const [name, shadow] of shadows) this.#shadows.set(name, shadow);
    this.#updates = updates as number;
  }

  /** The whole average as plain JSON (averages as lists of numbers). */
  toJSON(): ExponentialMovingAverageJson {
    const dict = this.stateDict();
    const parameters: Record<string, JsonValue> = {};
    for (const [name, shadow] of this.#shadows)
      parameters[name] = { dtype: shadow.dtype, shape: [...shadow.shape], average: encodeArray(shadow.values) };
    return { type: 'ExponentialMovingAverage', config: dict.config, state: { updates: this.#updates, parameters } };
  }

  /**
   * Rebuilds an average from `toJSON()` output.
   *
   * @example
   * const restored = ExponentialMovingAverage.fromJSON(JSON.parse(JSON.stringify(ema)));
   */
  static fromJSON(json: ExponentialMovingAverageJson): ExponentialMovingAverage {
    const operation = 'ExponentialMovingAverage.fromJSON';
    if (json?.type !== 'ExponentialMovingAverage')
      throw new AnnetError(
        'PARSE_ERROR',
        operation,
        `type must be "ExponentialMovingAverage", got ${formatValue(json?.type)}`,
      );
    const average = new ExponentialMovingAverage(json.config as ExponentialMovingAverageOptions);
    const parameters = (json.state?.parameters ?? {}) as Record<
      string,
      { dtype?: unknown; shape?: number[]; average?: unknown }
    >;
    const arrays: Record<string, StateArray> = {};
    const entries: Record<string, JsonValue> = {};
    for (const [name, entry] of Object.entries(parameters)) {
      const values = decodeArray(entry?.average, entry?.dtype === 'float64' ? 'float64' : 'float32');
      if (values === undefined)
        throw new AnnetError('PARSE_ERROR', operation, `state.parameters["${name}"].average must be a list of numbers`);
      arrays[`${name}.average`] = { shape: entry.shape ?? [], value: values };
      entries[name] = { dtype: entry.dtype as JsonValue, shape: (entry.shape ?? null) as JsonValue };
    }
    average.loadStateDict({ state: { updates: json.state?.updates ?? null, parameters: entries }, arrays });
    return average;
  }
}
