import { AnnetError, formatShape, Tensor } from '@annet/tensor';
import { checkIndex } from './check-index.js';
import { MapDataset } from './map-dataset.js';
import type { Sample, TensorRecord } from './sample.js';

/**
 * A sample of a {@link NamedTensorDataset}: each side a tensor or a record of named tensors.
 *
 * @example
 * const sample: NamedSample = { input: { image, extra }, target: label };
 */
export type NamedSample = Sample<Tensor | TensorRecord, Tensor | TensorRecord>;

/**
 * Samples from tensors whose first dimension indexes samples, where the inputs, the targets or
 * both are records of named tensors (a model of several inputs or outputs). Sample `i` holds row
 * `i` of every tensor as a view (no copy); the default collate stacks each name into its own batch
 * tensor. Every tensor must have the same number of rows.
 *
 * @example
 * const dataset = new NamedTensorDataset({ image: images, extra: ages }, { digit: labels });
 * dataset.get(0); // { input: { image: [1, 28, 28] view, extra: [1] view }, target: { digit: scalar view } }
 * for (const { inputs, targets } of new DataLoader(dataset, { batchSize: 64 }) as Iterable<NamedBatch>) trainStep(inputs, targets);
 */
export class NamedTensorDataset extends MapDataset<NamedSample> {
  readonly length: number;
  /** The inputs as given. */
  readonly inputs: Tensor | TensorRecord;
  /** The targets as given. */
  readonly targets: Tensor | TensorRecord;

  constructor(inputs: Tensor | TensorRecord, targets: Tensor | TensorRecord) {
    super();
    const counts = [...sides('inputs', inputs), ...sides('targets', targets)];
    const [first] = counts;
    for (const entry of counts) {
      if (entry.count !== first.count) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          'NamedTensorDataset',
          `${entry.name} has ${entry.count} rows but ${first.name} has ${first.count}; every tensor needs one row per sample`,
        );
      }
    }
    this.inputs = inputs;
    this.targets = targets;
    this.length = first.count;
  }

  /** Row `index` of every tensor, as views, in the same record layout as the constructor's. */
  get(index: number): NamedSample {
    checkIndex(index, this.length, 'NamedTensorDataset');
    return { input: rowOf(this.inputs, index), target: rowOf(this.targets, index) };
  }
}

function sides(side: string, value: Tensor | TensorRecord): { name: string; count: number }[] {
  const entries: [string, unknown][] =
    value instanceof Tensor
      ? [[side, value]]
      : typeof value === 'object' && value !== null
        ? Object.entries(value).map(([name, tensor]) => [`${side}.${name}`, tensor])
        : [];
  if (entries.length === 0)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'NamedTensorDataset',
      `${side} must be a tensor or a non-empty record of tensors, got ${value === null ? 'null' : typeof value}`,
    );
  return entries.map(([name, tensor]) => {
    if (!(tensor instanceof Tensor) || tensor.rank === 0)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'NamedTensorDataset',
        `${name} must be a tensor with a sample dimension first, got ${tensor instanceof Tensor ? `shape ${formatShape(tensor.shape)}` : typeof tensor}`,
      );
    return { name, count: tensor.shape[0] };
  });
}

function rowOf(value: Tensor | TensorRecord, index: number): Tensor | TensorRecord {
  if (value instanceof Tensor) return rowView(value, index);
  const row: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(value)) row[name] = rowView(tensor, index);
  return row;
}

function rowView(tensor: Tensor, index: number): Tensor {
  return tensor.slice([index, index + 1]).reshape(tensor.shape.slice(1));
}
