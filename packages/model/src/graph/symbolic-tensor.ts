import { AnnetError, type DType } from '@annet/tensor';
import type { GraphLayer } from './graph-layer.js';

/**
 * Where a symbolic tensor comes from: one call of a layer on symbolic inputs. The same layer
 * called twice makes two nodes (a shared layer).
 *
 * @example
 * const node = apply(new Dense(4, 8), x).node; // { layer, inputs: [x] }
 */
export interface GraphNode {
  readonly layer: GraphLayer;
  readonly inputs: readonly SymbolicTensor[];
}

/**
 * A placeholder for a batch of tensors flowing through a graph model being built: its shape
 * (batch dimension first, `-1` when unknown), its dtype, and what produces it, either a model
 * input (`inputName`) or a layer call (`node`).
 *
 * @example
 * const image = input({ name: 'image', shape: [1, 28, 28] });
 * image.shape; // [-1, 1, 28, 28]
 */
export class SymbolicTensor {
  /** @internal Use {@link input} or {@link apply}. */
  constructor(
    /** Shape with the batch dimension first; `-1` marks an unknown size. */
    readonly shape: readonly number[],
    /** Element type of the values. */
    readonly dtype: DType,
    /** The layer call that produces it; `null` for a model input. */
    readonly node: GraphNode | null,
    /** The input's name when this is a model input; `null` otherwise. */
    readonly inputName: string | null,
  ) {}

  /** `"image"` for an input, `the output of dense_1` for a layer call (names as they are now). */
  describe(): string {
    return this.node === null ? `input ${JSON.stringify(this.inputName)}` : `the output of ${this.node.layer.name}`;
  }
}

/**
 * Options of {@link input}.
 *
 * @example
 * const options: InputOptions = { name: 'image', shape: [1, 28, 28] };
 */
export interface InputOptions {
  /** The input's name: the key of its tensor in `fit`, `evaluate` and `predict` data. Default `input`. */
  readonly name?: string;
  /** Shape of one sample, without the batch dimension. */
  readonly shape: readonly number[];
  /** Element type; default `float32` (`int32` for token indices into an Embedding). */
  readonly dtype?: DType;
}

/**
 * A symbolic model input: the start of a graph built with {@link apply} (Keras' `Input`).
 *
 * @example
 * const image = input({ name: 'image', shape: [784] });
 * const hidden = apply(new Dense(784, 128), image);
 */
export function input(options: InputOptions): SymbolicTensor {
  const operation = 'input';
  if (typeof options !== 'object' || options === null)
    throw new AnnetError('INVALID_ARGUMENT', operation, 'expected options { name, shape, dtype? }');
  const name = options.name ?? 'input';
  if (typeof name !== 'string' || name.length === 0)
    throw new AnnetError('INVALID_ARGUMENT', operation, `name must be a non-empty string, got ${JSON.stringify(name)}`);
  const shape = options.shape;
  if (!Array.isArray(shape) || !shape.every((dimension) => Number.isSafeInteger(dimension) && dimension > 0)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      `input "${name}"`,
      `shape must be an array of positive integers (one sample, no batch dimension), got ${JSON.stringify(shape)}`,
    );
  }
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32')
    throw new AnnetError(
      'INVALID_ARGUMENT',
      `input "${name}"`,
      `dtype must be float32, float64 or int32, got ${JSON.stringify(dtype)}`,
    );
  return new SymbolicTensor([-1, ...shape], dtype, null, name);
}
