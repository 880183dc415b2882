import { AnnetError, Tensor, type DType } from '@annet/tensor';
import type { Batch, TensorRecord } from '../datasets/sample.js';
import { padSequences, type SequenceValues } from './pad-sequences.js';

/**
 * A sample of a sequence task: an input sequence (or several, by name, of equal lengths, such as
 * `{ words, characters }`) and a target sequence of the same length (one label per step).
 *
 * @example
 * const sample: SequenceSample = { input: Int32Array.from([5, 8, 2]), target: Int32Array.from([1, 0, 3]) };
 */
export interface SequenceSample {
  readonly input: SequenceValues | Readonly<Record<string, SequenceValues>>;
  readonly target: SequenceValues;
}

/**
 * A batch of padded sequences: what {@link paddedCollate} builds. `inputs` and `targets` are
 * `[batch, time, ...]` (time = the longest sequence of this batch), so `fit` reads it as any
 * batch; `lengths` and `mask` say which steps are real.
 *
 * @example
 * for (const { inputs, targets, mask } of loader) model.trainStep(inputs, targets);
 */
export interface PaddedBatch extends Batch<Tensor | TensorRecord, Tensor> {
  /** int32 `[batch]`: each sample's length. */
  readonly lengths: Tensor<'int32'>;
  /** float32 `[batch, time]`: 1 at real steps, 0 at padding. */
  readonly mask: Tensor<'float32'>;
}

/**
 * Options of {@link paddedCollate}.
 *
 * @example
 * paddedCollate({ inputPadding: 0, targetPadding: -100, maxLength: 200 });
 */
export interface PaddedCollateOptions {
  /**
   * Value of padded input steps (default 0: the padding id of a {@link Vocabulary}, which
   * `Embedding({ maskZero: true })` reads as "no step").
   */
  readonly inputPadding?: number;
  /**
   * Value of padded target steps (default -100, PyTorch's `ignore_index`: pass the same
   * `ignoreIndex` to the loss so padding adds nothing to it).
   */
  readonly targetPadding?: number;
  /** Refuse a sample longer than this many steps (default: no limit). */
  readonly maxLength?: number;
  /** Element type of inputs given as plain arrays (default `'int32'`, token ids). */
  readonly inputDType?: DType;
  /** Element type of targets given as plain arrays (default `'int32'`, class ids). */
  readonly targetDType?: DType;
}

/**
 * A collate for a {@link DataLoader} over variable-length sequences: pads each batch's inputs and
 * targets to its longest sample and adds lengths and a mask. Samples longer than `maxLength`,
 * targets of another length than their input, and named inputs of unequal lengths are refused
 * with typed errors. Combine it with a {@link BucketSampler} so that batches hold samples of
 * similar lengths and little padding.
 *
 * @example
 * const loader = new DataLoader(sentences, { batchSize: 32, sampler: new BucketSampler(lengths, { batchSize: 32 }), collate: paddedCollate({ maxLength: 200 }) });
 * for (const { targets, lengths } of loader) console.log(targets.shape, lengths.toArray());
 */
export function paddedCollate(options: PaddedCollateOptions = {}): (samples: SequenceSample[]) => PaddedBatch {
  const operation = 'paddedCollate';
  const inputPadding = options.inputPadding ?? 0;
  const targetPadding = options.targetPadding ?? -100;
  return (samples) => {
    if (!Array.isArray(samples) || samples.length === 0)
      throw new AnnetError('INVALID_ARGUMENT', operation, 'cannot collate an empty batch');
    const lengthOf = (sequence: SequenceValues) => (sequence instanceof Tensor ? sequence.shape[0] : sequence?.length);
    const named = !(samples[0].input instanceof Tensor) && !isArrayLike(samples[0].input);
    const names = named ? Object.keys(samples[0].input) : [];
    samples.forEach((sample, position) => {
      if (typeof sample !== 'object' || sample === null || !('input' in sample) || !('target' in sample)) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `sample ${position} of the batch is not shaped { input, target }`,
        );
      }
      const inputs = named
        ? names.map((name) => (sample.input as Record<string, SequenceValues>)[name])
        : [sample.input as SequenceValues];
      const expected = lengthOf(sample.target);
      inputs.forEach((input, index) => {
        if (input === undefined)
          throw new AnnetError(
            'INVALID_ARGUMENT',
            operation,
            `sample ${position} has no input "${names[index]}" (sample 0 has ${names.join(', ')})`,
          );
        if (lengthOf(input) !== expected) {
          throw new AnnetError(
            'SHAPE_MISMATCH',
            operation,
            `sample ${position} has ${lengthOf(input)} input steps${named ? ` in "${names[index]}"` : ''} but ${expected} target steps; a sequence task needs one target per step`,
          );
        }
      });
    });
    const pad = (sequences: SequenceValues[], value: number, dtype: DType | undefined, side: string) =>
      padSequences(sequences, { value, maxLength: options.maxLength, dtype, operation: `${operation} (${side})` });
    const targets = pad(
      samples.map((sample) => sample.target),
      targetPadding,
      options.targetDType ?? 'int32',
      'targets',
    );
    let inputs: Tensor | TensorRecord;
    if (named) {
      const record: Record<string, Tensor> = {};
      for (const name of names)
        record[name] = pad(
          samples.map((sample) => (sample.input as Record<string, SequenceValues>)[name]),
          inputPadding,
          options.inputDType ?? 'int32',
          `input "${name}"`,
        ).values;
      inputs = record;
    } else {
      inputs = pad(
        samples.map((sample) => sample.input as SequenceValues),
        inputPadding,
        options.inputDType ?? 'int32',
        'inputs',
      ).values;
    }
    return { inputs, targets: targets.values, lengths: targets.lengths, mask: targets.mask };
  };
}

function isArrayLike(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}
