import type { BackwardOptions, FloatDType, JsonValue } from '@annet/layer-api';
import { AnnetError, formatShape, residentZeros, type Tensor } from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { uniformInitializer } from '../initializers/initializers.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import { makeRecurrentRun, type RecurrentRun } from './recurrent-run.js';
import { attachMask, maskOf, readMask } from './sequence-mask.js';
import {
  attachFinalStateSource,
  initialStatesOf,
  type FinalStateSource,
  type InitialStateLink,
} from './state-links.js';
import { StepProduct } from './step-product.js';

/**
 * Options every recurrent layer takes.
 *
 * @example
 * const options: RecurrentOptions = { returnSequences: true, seed: 1 };
 */
export interface RecurrentOptions extends SeededLayerOptions {
  /** Output every step's hidden state `[batch, time, hidden]` (default false: the last one, `[batch, hidden]`). */
  readonly returnSequences?: boolean;
  /**
   * Run from the last step to the first (each sample from its own last real step when masked);
   * outputs stay in time order, as the reverse direction of PyTorch's bidirectional layers.
   * Parameters are then named `weightIH_reverse` and so on. Default false.
   */
  readonly reverse?: boolean;
  /** Refuse inputs of more than this many steps (a typed error, not a huge allocation). Default: no limit. */
  readonly maxLength?: number;
}

/**
 * Options of a recurrent layer's backward pass.
 *
 * @example
 * lstm.backward(outputGradient, { finalStateGradients: [dh, dc] });
 */
export interface RecurrentBackwardOptions extends BackwardOptions {
  /** d loss / d final state, per state ([batch, hidden] each: h, then c for an LSTM), added to what flows back from the output. */
  readonly finalStateGradients?: readonly Tensor[];
}

/**
 * The shared machinery of {@link SimpleRNN}, {@link LSTM} and {@link GRU}: PyTorch's
 * parameterization (`weightIH` [gates·hidden, input], `weightHH` [gates·hidden, hidden], `biasIH`,
 * `biasHH` [gates·hidden], all drawn from U(−1/√hidden, 1/√hidden)), masks, initial and final
 * states, and backpropagation through time. A subclass writes one step forward and one step
 * backward, side by side.
 *
 * Forward over x [batch, time, input]: the input projection of all steps is one product
 * X·W_ihᵀ + b (over the time-major copy of x), then each step adds h_{t−1}·W_hhᵀ (one product per
 * step, straight into the kernels) and applies the cell. A step whose mask is 0 keeps h and c
 * as they were and outputs zeros (PyTorch's packed sequences; `pad_packed_sequence` pads with 0).
 *
 * Backward runs the steps in reverse (BPTT): each step turns d h_t (from the output and from step
 * t + 1) into the gate gradients dA_t and d h_{t−1} = dA_t·W_hh (+ the cell's direct path); then
 * dW_ih = dAᵀ·X, dW_hh = dAᵀ·H_{prev}, the biases' gradients are the column sums of dA, and
 * dX = dA·W_ih, each one product over all steps. Masked steps pass d h and d c through unchanged
 * and contribute nothing.
 *
 * @example
 * const lstm = new LSTM(16, 32, { returnSequences: true });
 * const y = lstm.forward(x); // x [8, 20, 16] → y [8, 20, 32]
 */
export abstract class RecurrentLayer extends BaseLayer implements FinalStateSource {
  /** Features per step of the input. */
  readonly inputSize: number;
  /** Size of the hidden state h (and of c for an LSTM). */
  readonly hiddenSize: number;
  /** Gates stacked in the weights: 1 (SimpleRNN), 3 (GRU), 4 (LSTM). */
  readonly gateCount: number;
  /** States carried from step to step: 1 (h), or 2 for an LSTM (h, c). */
  readonly stateCount: number;
  /** Whether the output is every step's h rather than the last. */
  readonly returnSequences: boolean;
  /** Whether the layer runs from the last step to the first. */
  readonly reverse: boolean;
  /** The longest input accepted, or undefined for no limit. */
  readonly maxLength: number | undefined;
  /** W_ih, [gates·hidden, inputSize]. */
  readonly weightIH: Tensor;
  /** W_hh, [gates·hidden, hiddenSize]. */
  readonly weightHH: Tensor;
  /** b_ih, [gates·hidden]. */
  readonly biasIH: Tensor;
  /** b_hh, [gates·hidden]. */
  readonly biasHH: Tensor;
  /** The per-step products. */
  protected readonly product: StepProduct;
  /**
   * W_hhᵀ, [hidden, gates·hidden], refreshed at every forward: the kernels multiply by a
   * row-major right operand about twice as fast as by a transposed one, and the step product
   * h·W_hhᵀ runs once per step.
   */
  protected readonly transposedHiddenWeights: FloatData;
  /** W_ihᵀ, [inputSize, gates·hidden], refreshed at every forward, for the input projection. */
  private readonly transposedInputWeights: FloatData;
  private readonly seedEntries: Record<string, JsonValue>;
  private readonly parameterSet: readonly LayerParameter[];
  private readonly makeRun: (shape: readonly number[], dtype: FloatDType) => RecurrentRun;
  private readonly combinedBias: FloatData;
  private initialStates: readonly Tensor[] | undefined;
  // The states the last forward started from (an InitialState input's, setInitialState's, or none).
  private activeInitialStates: readonly Tensor[] | undefined;
  // The InitialState link of the last forward's input, whose gradient buffers backward fills.
  private initialLink: InitialStateLink | undefined;
  // Gradients FinalState layers handed over for the next backward, by state index.
  private readonly pendingFinalStateGradients: (Tensor | undefined)[] = [];

  protected constructor(
    className: string,
    defaultName: string,
    inputSize: number,
    hiddenSize: number,
    cell: { gates: number; states: number; hiddenProjection: boolean; cellActivations?: boolean },
    options: RecurrentOptions,
  ) {
    super(className, defaultName, options);
    for (const [what, size] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
    ] as const) {
      if (!Number.isSafeInteger(size) || size < 1)
        throw new AnnetError('INVALID_ARGUMENT', this.operation, `${what} must be a positive integer, got ${size}`);
    }
    const maxLength = options.maxLength;
    if (maxLength !== undefined && (!Number.isSafeInteger(maxLength) || maxLength < 1)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `maxLength must be a positive integer, got ${String(maxLength)}`,
      );
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.gateCount = cell.gates;
    this.stateCount = cell.states;
    this.returnSequences = options.returnSequences ?? false;
    this.reverse = options.reverse ?? false;
    this.maxLength = maxLength;
    this.seedEntries = seedConfig(options);
    const width = cell.gates * hiddenSize;
    const limit = 1 / Math.sqrt(hiddenSize);
    const initializer = uniformInitializer(-limit, limit);
    const suffix = this.reverse ? '_reverse' : '';
    const weightIH = this.addParameter(`weightIH${suffix}`, [width, inputSize], initializer, {
      fanIn: inputSize,
      fanOut: width,
    });
    const weightHH = this.addParameter(`weightHH${suffix}`, [width, hiddenSize], initializer, {
      fanIn: hiddenSize,
      fanOut: width,
    });
    const biasIH = this.addParameter(`biasIH${suffix}`, [width], initializer, { fanIn: inputSize, fanOut: width });
    const biasHH = this.addParameter(`biasHH${suffix}`, [width], initializer, { fanIn: hiddenSize, fanOut: width });
    this.parameterSet = [weightIH, weightHH, biasIH, biasHH];
    [this.weightIH, this.weightHH, this.biasIH, this.biasHH] = this.parameterSet.map((parameter) => parameter.tensor);
    this.product = new StepProduct(this.dtype);
    this.combinedBias = this.dtype === 'float32' ? new Float32Array(width) : new Float64Array(width);
    this.transposedHiddenWeights = floatData(residentZeros([hiddenSize, width], this.dtype));
    this.transposedInputWeights = floatData(residentZeros([inputSize, width], this.dtype));
    const sizes = {
      inputSize,
      hiddenSize,
      gates: cell.gates,
      states: cell.states,
      hiddenProjection: cell.hiddenProjection,
      cellActivations: cell.cellActivations ?? false,
    };
    this.makeRun = (shape, dtype) => makeRecurrentRun(shape, dtype, sizes);
    this.initialize(initialRng(options));
  }

  protected override configEntries(): Record<string, JsonValue> {
    return {
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      returnSequences: this.returnSequences,
      ...(this.reverse ? { reverse: true } : {}),
      ...(this.maxLength === undefined ? {} : { maxLength: this.maxLength }),
      ...this.seedEntries,
    };
  }

  /**
   * Sets the state the next forward passes start from: one [batch, hidden] tensor per state
   * (h, then c for an LSTM), PyTorch's `h_0` (`(h_0, c_0)`) for one layer and direction;
   * `undefined` goes back to zeros. Checked against the batch at forward.
   *
   * @example
   * lstm.setInitialState([h0, c0]);
   */
  setInitialState(states: readonly Tensor[] | undefined): void {
    if (states !== undefined && (!Array.isArray(states) || states.length !== this.stateCount)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `expected ${this.stateCount} initial state tensor${this.stateCount === 1 ? '' : 's'} (${this.stateNames()}), got ${Array.isArray(states) ? states.length : typeof states}`,
      );
    }
    this.initialStates = states === undefined ? undefined : states.slice();
  }

  /**
   * The states after the last forward (h, then c for an LSTM), [batch, hidden] each: PyTorch's
   * `h_n` (`(h_n, c_n)`), each sample's state after its own last real step. Copies into buffers
   * reused by the next call.
   *
   * @example
   * const [h, c] = lstm.finalStates();
   */
  finalStates(): readonly Tensor[] {
    const run = this.currentRun('finalStates');
    const block = run.batch * this.hiddenSize;
    return run.states.map((state, index) => {
      const buffer = this.workspace.buffer(`finalState${index}`, this.dtype, [run.batch, this.hiddenSize]);
      floatData(buffer).set(state.subarray(run.time * block, (run.time + 1) * block));
      return buffer;
    });
  }

  /**
   * d loss / d initial state after the last backward, one [batch, hidden] tensor per state
   * (buffers reused by the next call).
   *
   * @example
   * const [dh0, dc0] = lstm.initialStateGradients();
   */
  initialStateGradients(): readonly Tensor[] {
    const run = this.currentRun('initialStateGradients');
    return run.stateGradients.map((gradient, index) => {
      const buffer = this.workspace.buffer(`initialStateGradient${index}`, this.dtype, [run.batch, this.hiddenSize]);
      const target = floatData(buffer);
      for (let element = 0; element < target.length; element++) target[element] = gradient[element];
      return buffer;
    });
  }

  /** [batch, time, inputSize] → [batch, time, hidden] with `returnSequences`, else [batch, hidden]. */
  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3 || inputShape[2] !== this.inputSize)
      throw inputShapeError(this.operation, `[batch,time,${this.inputSize}] (rank 3)`, inputShape);
    return this.returnSequences ? [inputShape[0], inputShape[1], this.hiddenSize] : [inputShape[0], this.hiddenSize];
  }

  /** Runs every step (see the class description); the returned tensor is reused by the next call. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    const link = initialStatesOf(input);
    if (link !== undefined && link.states.length !== this.stateCount) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `its input carries ${link.states.length} initial state${link.states.length === 1 ? '' : 's'} (from InitialState) but the layer has ${this.stateCount} (${this.stateNames()})`,
      );
    }
    const output = this.forwardFrom(input, link?.states ?? this.initialStates, options);
    this.initialLink = link;
    return output;
  }

  /**
   * {@link RecurrentLayer.forward} from the given initial states (or zeros), ignoring
   * `setInitialState` and any `InitialState` input: what `Bidirectional` runs each direction with.
   */
  forwardFrom(
    input: Tensor,
    initialStates: readonly Tensor[] | undefined,
    options?: { readonly training: boolean },
  ): Tensor {
    this.activeInitialStates = initialStates;
    this.initialLink = undefined;
    this.checkInput(input);
    const batch = input.shape[0];
    const time = input.shape[1];
    const run = this.runFor(batch, time);
    run.masked = readMask(this.operation, input, run.mask);
    if (!run.masked) run.mask.fill(1);
    this.copyInputs(input, run);
    const width = this.gateCount * this.hiddenSize;
    transposeInto(floatData(this.weightIH), width, this.inputSize, this.transposedInputWeights);
    transposeInto(floatData(this.weightHH), width, this.hiddenSize, this.transposedHiddenWeights);
    this.product.run(
      run.inputs,
      0,
      this.inputSize,
      false,
      this.transposedInputWeights,
      0,
      width,
      false,
      run.gates,
      0,
      width,
      time * batch,
      width,
      this.inputSize,
      false,
    );
    this.addInputBias(run.gates, time * batch);
    this.startStates(run);
    for (let step = 0; step < time; step++) this.stepForward(run, step);
    const output = this.workspace.output(this.dtype, input.shape);
    this.writeOutput(run, floatData(output));
    attachMask(output, this.returnSequences && run.masked ? maskOf(input) : undefined);
    attachFinalStateSource(output, this);
    this.pendingFinalStateGradients.length = 0;
    this.recordForward(input, options);
    return output;
  }

  /**
   * Backpropagation through time: writes every parameter's gradient (overwriting) and returns
   * d loss / d input (reused by the next call); {@link RecurrentLayer.initialStateGradients}
   * then holds d loss / d initial state.
   */
  backward(outputGradient: Tensor, options?: RecurrentBackwardOptions): Tensor {
    const input = this.checkBackward(outputGradient, this.workspace.current('output')?.shape ?? [], this.dtype);
    const run = this.currentRun('backward');
    const { batch, time } = run;
    const H = this.hiddenSize;
    const gradient = contiguousInput(outputGradient);
    const dy = floatData(gradient);
    for (let index = 0; index < run.stateGradients.length; index++) run.stateGradients[index].fill(0);
    if (!this.returnSequences)
      for (let index = 0; index < batch * H; index++) run.stateGradients[0][index] = dy[gradient.offset + index];
    this.addFinalStateGradients(run, options?.finalStateGradients);
    this.addPendingFinalStateGradients(run);
    for (let step = time - 1; step >= 0; step--) {
      if (this.returnSequences) this.addOutputGradient(run, step, dy, gradient.offset);
      this.stepBackward(run, step);
      const carried = run.stateGradients[0];
      run.stateGradients[0] = run.spareHiddenGradient;
      run.spareHiddenGradient = carried;
    }
    this.parameterGradients(run);
    const inputGradient = this.workspace.buffer('inputGradient', this.dtype, input.shape);
    if (options?.inputGradient !== false) this.writeInputGradient(run, floatData(inputGradient));
    if (this.initialLink !== undefined) {
      this.initialLink.gradients.forEach((gradient, index) => {
        const target = floatData(gradient);
        const source = run.stateGradients[index];
        for (let element = 0; element < batch * H; element++) target[element] = source[element];
      });
    }
    return inputGradient;
  }

  /** One step forward at processing index `step`: gates of the step hold x_t·W_ihᵀ + b on entry; write states block step + 1. */
  protected abstract stepForward(run: RecurrentRun, step: number): void;

  /**
   * One step backward: stateGradients hold d loss / d state after the step (d h includes this
   * step's output gradient); write the step's gate gradients, turn stateGradients[1..] into the
   * gradients before the step in place, and write d loss / d h before the step into spareHiddenGradient.
   */
  protected abstract stepBackward(run: RecurrentRun, step: number): void;

  /** Whether b_hh is added once with b_ih to the input projection (SimpleRNN, LSTM) rather than per step (GRU). */
  protected abstract readonly foldsHiddenBias: boolean;

  /** The time position of processing index `step`. */
  protected position(step: number, time: number): number {
    return this.reverse ? time - 1 - step : step;
  }

  /** `h` or `h, c`, for messages. */
  stateNames(): string {
    return this.stateCount === 1 ? 'h' : 'h, c';
  }

  private checkInput(input: Tensor): void {
    if (input.shape.length !== 3 || input.shape[2] !== this.inputSize)
      throw inputShapeError(this.operation, `[batch,time,${this.inputSize}] (rank 3)`, input.shape);
    requireDType(this.operation, input, this.dtype);
    const time = input.shape[1];
    if (time < 1 || input.shape[0] < 1)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `expected at least one sample and one step, got an input of shape ${formatShape(input.shape)}`,
      );
    if (this.maxLength !== undefined && time > this.maxLength) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `the input has ${time} steps (shape ${formatShape(input.shape)}) but the layer's maxLength is ${this.maxLength}; truncate or split the sequences, or raise maxLength`,
      );
    }
    const states = this.activeInitialStates;
    if (states !== undefined) {
      const expected = [input.shape[0], this.hiddenSize];
      states.forEach((state, index) => {
        if (state.shape.length !== 2 || state.shape[0] !== expected[0] || state.shape[1] !== expected[1]) {
          throw new AnnetError(
            'SHAPE_MISMATCH',
            this.operation,
            `initial state ${index} (${this.stateNames().split(', ')[index]}) must be ${formatShape(expected)} for an input of shape ${formatShape(input.shape)}, got ${formatShape(state.shape)}`,
          );
        }
        requireDType(this.operation, state, this.dtype, 'initial state');
      });
    }
  }

  /** The run record, reused while it has room for batch·time rows and the batch, else a larger one. */
  private runFor(batch: number, time: number): RecurrentRun {
    const current = this.workspace.current<RecurrentRun>('run');
    let run = current;
    if (current === undefined || current.capacity[0] < batch * time || current.capacity[1] < batch) {
      const capacity = [Math.max(batch * time, current?.capacity[0] ?? 0), Math.max(batch, current?.capacity[1] ?? 0)];
      run = this.workspace.derive('run', this.dtype, capacity, this.makeRun);
    }
    run!.batch = batch;
    run!.time = time;
    return run!;
  }

  private currentRun(what: string): RecurrentRun {
    const run = this.workspace.current<RecurrentRun>('run');
    if (run === undefined || this.lastInput === undefined)
      throw new AnnetError('INVALID_STATE', this.operation, `${what} needs a forward pass first; call forward(input)`);
    return run;
  }

  /** x [batch, time, input] (any strides) → run.inputs [time, batch, input] in processing order. */
  private copyInputs(input: Tensor, run: RecurrentRun): void {
    const { batch, time } = run;
    const I = this.inputSize;
    const source = floatData(input);
    const batchStride = input.strides[0];
    const timeStride = input.strides[1];
    const featureStride = input.strides[2];
    const target = run.inputs;
    for (let step = 0; step < time; step++) {
      const t = this.position(step, time);
      for (let row = 0; row < batch; row++) {
        const from = input.offset + row * batchStride + t * timeStride;
        const to = (step * batch + row) * I;
        for (let feature = 0; feature < I; feature++) target[to + feature] = source[from + feature * featureStride];
      }
    }
  }

  /** Adds b_ih (+ b_hh when folded) to every row of the input projection. */
  private addInputBias(gates: FloatData, rows: number): void {
    const width = this.gateCount * this.hiddenSize;
    const bias = this.combinedBias;
    const ih = floatData(this.biasIH);
    const hh = floatData(this.biasHH);
    for (let index = 0; index < width; index++) bias[index] = this.foldsHiddenBias ? ih[index] + hh[index] : ih[index];
    for (let row = 0; row < rows; row++) {
      const start = row * width;
      for (let index = 0; index < width; index++) gates[start + index] += bias[index];
    }
  }

  /** Block 0 of every state: the initial state, or zeros. */
  private startStates(run: RecurrentRun): void {
    const block = run.batch * this.hiddenSize;
    for (let index = 0; index < run.states.length; index++) {
      const state = run.states[index];
      const initial = this.activeInitialStates?.[index];
      if (initial === undefined) {
        state.fill(0, 0, block);
        continue;
      }
      const rowStride = initial.strides[0];
      const columnStride = initial.strides[1];
      const values = floatData(initial);
      for (let row = 0; row < run.batch; row++) {
        for (let unit = 0; unit < this.hiddenSize; unit++)
          state[row * this.hiddenSize + unit] = values[initial.offset + row * rowStride + unit * columnStride];
      }
    }
  }

  /** Every step's h into [batch, time, hidden] (zeros where masked), or the final h into [batch, hidden]. */
  private writeOutput(run: RecurrentRun, output: FloatData): void {
    const { batch, time, mask, states } = run;
    const H = this.hiddenSize;
    const hidden = states[0];
    if (!this.returnSequences) {
      const last = time * batch * H;
      for (let index = 0; index < batch * H; index++) output[index] = hidden[last + index];
      return;
    }
    for (let step = 0; step < time; step++) {
      const t = this.position(step, time);
      for (let row = 0; row < batch; row++) {
        const to = (row * time + t) * H;
        if (mask[row * time + t] === 0) {
          output.fill(0, to, to + H);
          continue;
        }
        const from = ((step + 1) * batch + row) * H;
        for (let unit = 0; unit < H; unit++) output[to + unit] = hidden[from + unit];
      }
    }
  }

  private addFinalStateGradients(run: RecurrentRun, gradients: readonly Tensor[] | undefined): void {
    if (gradients === undefined) return;
    const expected = [run.batch, this.hiddenSize];
    if (!Array.isArray(gradients) || gradients.length !== this.stateCount) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `expected ${this.stateCount} final state gradient${this.stateCount === 1 ? '' : 's'} (${this.stateNames()}), got ${Array.isArray(gradients) ? gradients.length : typeof gradients}`,
      );
    }
    gradients.forEach((gradient, index) => {
      if (gradient.shape.length !== 2 || gradient.shape[0] !== expected[0] || gradient.shape[1] !== expected[1]) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          this.operation,
          `final state gradient ${index} must be ${formatShape(expected)}, got ${formatShape(gradient.shape)}`,
        );
      }
      const values = floatData(gradient);
      const [rowStride, columnStride] = gradient.strides;
      const target = run.stateGradients[index];
      for (let row = 0; row < run.batch; row++) {
        for (let unit = 0; unit < this.hiddenSize; unit++)
          target[row * this.hiddenSize + unit] += values[gradient.offset + row * rowStride + unit * columnStride];
      }
    });
  }

  /**
   * Adds `gradient` (d loss / d final state `index`, [batch, hidden]) to what the next backward
   * propagates, once: how a `FinalState` layer downstream in a graph hands its gradient back.
   */
  receiveFinalStateGradient(index: number, gradient: Tensor): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.stateCount)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `state index ${index} is outside [0, ${this.stateCount}) (${this.stateNames()})`,
      );
    const pending = this.pendingFinalStateGradients[index];
    if (pending === undefined) {
      this.pendingFinalStateGradients[index] = gradient;
      return;
    }
    // Two FinalState layers read the same state: sum their gradients in a buffer of our own.
    const sum = this.workspace.buffer(`pendingFinalStateGradient${index}`, this.dtype, gradient.shape);
    const target = floatData(sum);
    const first = contiguousInput(pending);
    const second = contiguousInput(gradient);
    for (let element = 0; element < target.length; element++)
      target[element] = first.data[first.offset + element] + second.data[second.offset + element];
    this.pendingFinalStateGradients[index] = sum;
  }

  private addPendingFinalStateGradients(run: RecurrentRun): void {
    const pending = this.pendingFinalStateGradients;
    for (let index = 0; index < pending.length; index++) {
      const gradient = pending[index];
      if (gradient === undefined) continue;
      if (gradient.shape.length !== 2 || gradient.shape[0] !== run.batch || gradient.shape[1] !== this.hiddenSize) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          this.operation,
          `a final state gradient handed over for state ${index} must be ${formatShape([run.batch, this.hiddenSize])}, got ${formatShape(gradient.shape)}`,
        );
      }
      const values = contiguousInput(gradient);
      const target = run.stateGradients[index];
      for (let element = 0; element < run.batch * this.hiddenSize; element++)
        target[element] += values.data[values.offset + element];
      pending[index] = undefined;
    }
  }

  /** d h += dy at this step's position, for the samples whose step is real (a padded step's output is the constant 0). */
  private addOutputGradient(run: RecurrentRun, step: number, dy: FloatData, offset: number): void {
    const { batch, time, mask } = run;
    const H = this.hiddenSize;
    const t = this.position(step, time);
    const dh = run.stateGradients[0];
    for (let row = 0; row < batch; row++) {
      if (mask[row * time + t] === 0) continue;
      const from = offset + (row * time + t) * H;
      for (let unit = 0; unit < H; unit++) dh[row * H + unit] += dy[from + unit];
    }
  }

  /** dW_ih = dAᵀ·X, dW_hh = dA_hᵀ·H_prev, db_ih and db_hh = column sums, each over all steps at once. */
  private parameterGradients(run: RecurrentRun): void {
    const rows = run.time * run.batch;
    const width = this.gateCount * this.hiddenSize;
    const parameters = this.parameterSet;
    const weightIH = parameters[0];
    const weightHH = parameters[1];
    const biasIH = parameters[2];
    const biasHH = parameters[3];
    const inputSide = run.gateGradients;
    const hiddenSide = run.hiddenGateGradients ?? inputSide;
    this.product.run(
      inputSide,
      0,
      width,
      true,
      run.inputs,
      0,
      this.inputSize,
      false,
      weightIH.grad,
      0,
      this.inputSize,
      width,
      this.inputSize,
      rows,
      false,
    );
    this.product.run(
      hiddenSide,
      0,
      width,
      true,
      run.states[0],
      0,
      this.hiddenSize,
      false,
      weightHH.grad,
      0,
      this.hiddenSize,
      width,
      this.hiddenSize,
      rows,
      false,
    );
    columnSums(inputSide, rows, width, biasIH.grad);
    // Both biases feed the same pre-activations unless the cell keeps b_hh apart (GRU).
    if (hiddenSide === inputSide) biasHH.grad.set(biasIH.grad);
    else columnSums(hiddenSide, rows, width, biasHH.grad);
  }

  /** dX = dA·W_ih in processing order, then back to [batch, time, input]. */
  private writeInputGradient(run: RecurrentRun, target: FloatData): void {
    const { batch, time } = run;
    const I = this.inputSize;
    const width = this.gateCount * this.hiddenSize;
    const rows = run.inputGradientRows;
    this.product.run(
      run.gateGradients,
      0,
      width,
      false,
      floatData(this.weightIH),
      0,
      I,
      false,
      rows,
      0,
      I,
      time * batch,
      I,
      width,
      false,
    );
    for (let step = 0; step < time; step++) {
      const t = this.position(step, time);
      for (let row = 0; row < batch; row++) {
        const from = (step * batch + row) * I;
        const to = (row * time + t) * I;
        for (let feature = 0; feature < I; feature++) target[to + feature] = rows[from + feature];
      }
    }
  }
}

/** target = sourceᵀ for a row-major source [rows, columns]. */
function transposeInto(source: FloatData, rows: number, columns: number, target: FloatData): void {
  for (let row = 0; row < rows; row++) {
    const start = row * columns;
    for (let column = 0; column < columns; column++) target[column * rows + row] = source[start + column];
  }
}

/** target[j] = Σ_rows values[row·width + j]. */
function columnSums(values: FloatData, rows: number, width: number, target: FloatData): void {
  target.fill(0);
  for (let row = 0; row < rows; row++) {
    const start = row * width;
    for (let column = 0; column < width; column++) target[column] += values[start + column];
  }
}
