import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import { AnnetError, formatShape, type Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { MergeLayer, describeSymbolicShape } from '../merge/merge-layer.js';
import { attachMask } from './sequence-mask.js';

/**
 * Attaches a mask to a sequence inside a graph model: `apply(new SequenceMask(), [sequence, mask])`
 * with `sequence` [batch, time, ...] and either a mask [batch, time] of 0s and 1s or per-sample
 * lengths [batch] (step t of sample b is real when t < lengths[b], PyTorch's
 * `pack_padded_sequence` lengths). The output is the sequence itself (a view over the same
 * values) carrying the mask, which recurrent layers and {@link Bidirectional} read; backward
 * passes the gradient through unchanged to the sequence and gives the mask a zero gradient.
 *
 * @example
 * const tokens = input({ name: 'tokens', shape: [40, 64] });
 * const lengths = input({ name: 'lengths', shape: [], dtype: 'int32' }); // or a [40] mask
 * const masked = apply(new SequenceMask(), [tokens, lengths]);
 */
export class SequenceMask extends MergeLayer {
  private output: Tensor | undefined;
  private readonly gradients: Tensor[] = [];

  constructor(options: LayerOptions = {}) {
    super('SequenceMask', 'sequence_mask', options, { minimum: 2, maximum: 2 });
  }

  /** Rebuilds a SequenceMask from {@link SequenceMask.getConfig}. */
  static fromConfig(config: LayerConfig): SequenceMask {
    return new SequenceMask(config as LayerOptions);
  }

  /** The sequence's shape; throws unless the second input is [batch, time] or [batch]. */
  outputShape(inputShapes: readonly (readonly number[])[]): number[] {
    this.checkInputCount(inputShapes.length);
    const [sequence, mask] = inputShapes;
    if (sequence.length < 2)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `expected a sequence [batch, time, ...], got ${describeSymbolicShape(sequence)}`,
      );
    const matches = (axis: number): boolean => mask[axis] === sequence[axis] || mask[axis] < 0 || sequence[axis] < 0;
    const fits = (mask.length === 2 && matches(0) && matches(1)) || (mask.length === 1 && matches(0));
    if (!fits) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `expected a mask [batch, time] = ${describeSymbolicShape(sequence.slice(0, 2))} or lengths [batch] = ${describeSymbolicShape(sequence.slice(0, 1))} for a sequence ${describeSymbolicShape(sequence)}, got ${describeSymbolicShape(mask)}`,
      );
    }
    return sequence.slice();
  }

  /** The sequence (a view) with the mask attached. */
  forward(inputs: readonly Tensor[], _options?: { readonly training: boolean }): Tensor {
    if (!Array.isArray(inputs))
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `expected [sequence, mask], got ${typeof inputs}`);
    this.checkInputCount(inputs.length);
    const [sequence, second] = inputs;
    this.outputShape([sequence.shape, second.shape]);
    if (sequence.dtype !== 'float32' && sequence.dtype !== 'float64')
      throw new AnnetError(
        'DTYPE_MISMATCH',
        this.operation,
        `expected a float32 or float64 sequence, got ${sequence.dtype}`,
      );
    const mask = second.shape.length === 2 ? second : this.lengthsMask(second, sequence.shape[1]);
    const output =
      this.workspace.view('output', sequence) ??
      this.workspace.keepView('output', sequence, sequence.reshape(sequence.shape));
    attachMask(output, mask);
    this.output = output;
    this.lastInputs = inputs;
    return output;
  }

  /** The gradient itself for the sequence, zeros for the mask. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    const inputs = this.inputsForBackward(outputGradient, this.output);
    const maskShape = inputs[1].shape;
    const maskGradient = this.workspace.buffer(
      'maskGradient',
      outputGradient.dtype as 'float32' | 'float64',
      maskShape,
    );
    this.gradients.length = 0;
    this.gradients.push(outputGradient, maskGradient);
    return this.gradients;
  }

  /** [batch] lengths → a [batch, time] mask (1 where t < length); lengths must be integers in [0, time]. */
  private lengthsMask(lengths: Tensor, time: number): Tensor {
    const batch = lengths.shape[0];
    const mask = this.workspace.buffer('mask', 'float32', [batch, time]);
    const data = mask.data;
    for (let row = 0; row < batch; row++) {
      const length = lengths.data[lengths.offset + row * lengths.strides[0]];
      if (!Number.isInteger(length) || length < 0 || length > time) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          this.operation,
          `lengths must be integers in [0, ${time}] (the time axis of the sequence ${formatShape([batch, time])}), got ${length} for sample ${row}`,
        );
      }
      for (let step = 0; step < time; step++) data[row * time + step] = step < length ? 1 : 0;
    }
    return mask;
  }
}
