import { Tensor, allocate } from '@annet/tensor';
import type { CsvRowDecoder } from './csv-row-decoder.js';

/**
 * Decoded rows packed into typed arrays: features row-major, labels alongside. Grows by
 * doubling for a whole-input read; a streaming read fills fixed-size blocks instead.
 */
export class CsvRows {
  inputs: Float32Array | Float64Array;
  targets: Float32Array | Float64Array | Int32Array | undefined;
  rows = 0;

  constructor(
    private readonly features: number,
    private readonly inputDType: 'float32' | 'float64',
    private readonly targetDType: 'float32' | 'float64' | 'int32' | undefined,
    capacity: number,
  ) {
    this.inputs = allocate(inputDType, features * capacity);
    this.targets = targetDType ? allocate(targetDType, capacity) : undefined;
  }

  /** Rows the arrays can hold. */
  get capacity(): number {
    return this.targets ? this.targets.length : this.features === 0 ? Infinity : this.inputs.length / this.features;
  }

  /** Appends the decoder's current row, doubling the arrays when full. */
  add(decoder: CsvRowDecoder): void {
    if (this.rows === this.capacity) this.grow();
    this.inputs.set(decoder.features, this.rows * this.features);
    if (this.targets) this.targets[this.rows] = decoder.label;
    this.rows++;
  }

  private grow(): void {
    const capacity = Math.max(16, this.rows * 2);
    const inputs = allocate(this.inputDType, capacity * this.features);
    inputs.set(this.inputs);
    this.inputs = inputs;
    if (this.targets) {
      const targets = allocate(this.targetDType!, capacity);
      targets.set(this.targets);
      this.targets = targets;
    }
  }

  /** The rows as tensors `[rows, features]` and `[rows]`, trimmed to size. */
  toTensors(): { inputs: Tensor; targets: Tensor | undefined } {
    const inputs =
      this.inputs.length === this.rows * this.features ? this.inputs : this.inputs.slice(0, this.rows * this.features);
    const targets =
      this.targets && (this.targets.length === this.rows ? this.targets : this.targets.slice(0, this.rows));
    return {
      inputs: new Tensor(inputs, [this.rows, this.features]),
      targets: targets && new Tensor(targets, [this.rows]),
    };
  }
}
