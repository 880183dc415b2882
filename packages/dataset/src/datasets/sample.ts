import type { DType, Tensor, TypedArray } from '@annet/tensor';

/**
 * One example: what the model reads and what it should produce. The default collate stacks
 * `input`s into `inputs` and `target`s into `targets`.
 *
 * @example
 * const sample: Sample = { input: tensor([0.1, 0.7]), target: tensor(1, { dtype: 'int32' }) };
 */
export interface Sample<Input = Tensor, Target = Tensor> {
  /** What the model reads. */
  readonly input: Input;
  /** What the model should produce (a class index, a value, a one-hot row...). */
  readonly target: Target;
}

/**
 * A batch as the default collate builds it: `inputs` has shape `[batch, ...inputShape]` and
 * `targets` `[batch, ...targetShape]`.
 *
 * @example
 * for (const { inputs, targets } of loader) model.trainStep(inputs, targets);
 */
export interface Batch<Inputs = Tensor, Targets = Tensor> {
  /** The stacked inputs, `[batch, ...inputShape]` (or one such tensor per name, see {@link NamedBatch}). */
  readonly inputs: Inputs;
  /** The stacked targets, `[batch, ...targetShape]` (or one such tensor per name). */
  readonly targets: Targets;
}

/**
 * Tensors keyed by name, such as a model's inputs `{ image, extra }`.
 *
 * @example
 * const inputs: TensorRecord = { image: images, extra: ages };
 */
export type TensorRecord = Readonly<Record<string, Tensor>>;

/**
 * A batch whose sides may be records of named tensors: what the default collate builds from
 * samples like `{ input: { image, extra }, target: { digit } }` (each name stacked on its own).
 *
 * @example
 * for (const { inputs, targets } of loader as Iterable<NamedBatch>) model.forward(inputs);
 */
export type NamedBatch = Batch<Tensor | TensorRecord, Tensor | TensorRecord>;

/**
 * The element type and per-sample shape of one side (input or target) of a {@link RowSource}.
 *
 * @example
 * const layout: RowLayout = { dtype: 'float32', shape: [28, 28] };
 */
export interface RowLayout {
  /** Element type of the batch tensor. */
  readonly dtype: DType;
  /** Shape of one sample, without the batch dimension. */
  readonly shape: readonly number[];
}

/**
 * The fast path of batching: a dataset whose samples are rows of contiguous arrays copies them
 * straight into the batch buffers, with no per-sample tensor. {@link TensorDataset} provides
 * one; `subset`, `take`, `skip` and `concat` keep it.
 *
 * @example
 * const rows = dataset.rows();
 * if (rows) rows.copyRow(7, inputs, 0, targets, 0); // sample 7 into the first batch slot
 */
export interface RowSource {
  /** Layout of the inputs. */
  readonly input: RowLayout;
  /** Layout of the targets. */
  readonly target: RowLayout;
  /** Copies sample `index` into `inputs` at element `inputOffset` and `targets` at `targetOffset`. */
  copyRow(index: number, inputs: TypedArray, inputOffset: number, targets: TypedArray, targetOffset: number): void;
}
