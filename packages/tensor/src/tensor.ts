import { allocate, dtypeOfArray, type DType, type TypedArray, type TypedArrayFor } from './dtype.js';
import { describeValue } from './describe-value.js';
import { AnnetError, formatShape } from './errors.js';
import { RowIterator } from './ops/row-iterator.js';
import { broadcastShapes, checkShape, contiguousStrides, normalizeAxis, shapesEqual, sizeOf } from './shape.js';

/** One axis of a {@link Tensor.slice}: an index, or `[start, stop, step]` with Python semantics. */
export type SliceSpec = number | null | readonly [start?: number | null, stop?: number | null, step?: number | null];

/**
 * An n-dimensional view over a typed array.
 *
 * Element `(i0, …, ik)` is `data[offset + i0 * strides[0] + … + ik * strides[k]]`. Views
 * (`reshape` of a contiguous tensor, `transpose`, `slice`, `squeeze`, `expandDims`,
 * `broadcastTo`) share `data` and cost O(rank); `contiguous()` and `clone()` copy.
 *
 * @example
 * const x = new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * x.transpose().get(2, 1); // 6
 */
export class Tensor<D extends DType = DType> {
  /** Element type. */
  readonly dtype: D;
  /** Size of each dimension, outermost first. */
  readonly shape: readonly number[];
  /** Elements to skip in `data` to move one step along each dimension (0 for broadcast axes). */
  readonly strides: readonly number[];
  /** Index in `data` of element `(0, …, 0)`. */
  readonly offset: number;
  /** Number of elements. */
  readonly size: number;
  /** The typed array holding the elements, possibly shared with other views. */
  readonly data: TypedArrayFor[D];

  /**
   * Wraps `data` without copying. With no `strides` the view is row-major from `offset`.
   * Throws when the view would read outside `data`.
   */
  constructor(data: TypedArrayFor[D], shape: readonly number[], strides?: readonly number[], offset = 0) {
    const checkedShape = checkShape(shape, 'Tensor');
    this.dtype = dtypeOfArray(data, 'Tensor') as D;
    this.data = data;
    this.shape = checkedShape;
    this.strides = strides ? strides.slice() : contiguousStrides(checkedShape);
    this.offset = offset;
    this.size = sizeOf(checkedShape);
    if (this.strides.length !== checkedShape.length || !this.strides.every(Number.isSafeInteger)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'Tensor',
        `strides ${formatShape(this.strides)} must be ${checkedShape.length} integers for shape ${formatShape(checkedShape)}`,
      );
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new AnnetError('INVALID_ARGUMENT', 'Tensor', `offset must be a non-negative integer, got ${offset}`);
    }
    if (this.size > 0) {
      let low = offset;
      let high = offset;
      for (let axis = 0; axis < checkedShape.length; axis++) {
        const reach = (checkedShape[axis] - 1) * this.strides[axis];
        if (reach < 0) low += reach;
        else high += reach;
      }
      if (low < 0 || high >= data.length) {
        throw new AnnetError(
          'INDEX_OUT_OF_RANGE',
          'Tensor',
          `a view of shape ${formatShape(checkedShape)} with strides ${formatShape(this.strides)} and offset ${offset} reads outside an array of length ${data.length}`,
        );
      }
    }
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True when the elements are laid out row-major without gaps from `offset`. */
  get isContiguous(): boolean {
    let expected = 1;
    for (let axis = this.shape.length - 1; axis >= 0; axis--) {
      if (this.shape[axis] !== 1 && this.strides[axis] !== expected) return false;
      expected *= this.shape[axis];
    }
    return true;
  }

  /** Index into `data` of the element at `indices` (negative indices count from the end). */
  indexOf(indices: readonly number[]): number {
    if (indices.length !== this.shape.length) {
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        'get',
        `expected ${this.shape.length} indices for shape ${formatShape(this.shape)}, got ${indices.length}`,
      );
    }
    let position = this.offset;
    for (let axis = 0; axis < indices.length; axis++) {
      let index = indices[axis];
      const dimension = this.shape[axis];
      if (!Number.isInteger(index) || index < -dimension || index >= dimension) {
        throw new AnnetError(
          'INDEX_OUT_OF_RANGE',
          'get',
          `index ${index} is out of range for axis ${axis} of size ${dimension}`,
        );
      }
      if (index < 0) index += dimension;
      position += index * this.strides[axis];
    }
    return position;
  }

  /** The element at `indices`. */
  get(...indices: number[]): number {
    return this.data[this.indexOf(indices)];
  }

  /** Writes the element at `indices` (into the shared `data`). */
  set(value: number, ...indices: number[]): void {
    this.data[this.indexOf(indices)] = value;
  }

  /** The only element of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'item',
        `expected a tensor with one element, got shape ${formatShape(this.shape)} (${this.size} elements)`,
      );
    }
    return this.data[this.offset];
  }

  /** Calls `visit(dataIndex, flatIndex)` for every element in row-major order. */
  forEachIndex(visit: (dataIndex: number, flatIndex: number) => void): void {
    const rank = this.shape.length;
    if (this.size === 0) return;
    const counter = new Array<number>(rank).fill(0);
    let position = this.offset;
    for (let flat = 0; flat < this.size; flat++) {
      visit(position, flat);
      for (let axis = rank - 1; axis >= 0; axis--) {
        counter[axis]++;
        position += this.strides[axis];
        if (counter[axis] < this.shape[axis]) break;
        position -= counter[axis] * this.strides[axis];
        counter[axis] = 0;
      }
    }
  }

  /** A row-major copy in a fresh array (or `this` when already contiguous and `always` is false). */
  contiguous(always = false): Tensor<D> {
    if (!always && this.isContiguous && this.offset === 0 && this.data.length === this.size) return this;
    const result = allocate(this.dtype, this.size, 'contiguous') as TypedArrayFor[D];
    const source = this.data;
    // Row by row with plain loops: this copy sits under matmul, reshape and every op's slow path.
    const rows = new RowIterator(this.shape, [this.strides], [this.offset]);
    const stride = rows.innerStride[0];
    let target = 0;
    for (let row = 0; row < rows.rowCount; row++, rows.next()) {
      for (let j = 0, index = rows.position[0]; j < rows.rowLength; j++, index += stride)
        result[target++] = source[index];
    }
    return new Tensor(result, this.shape);
  }

  /** A deep copy with its own row-major data. */
  clone(): Tensor<D> {
    return this.contiguous(true);
  }

  /** The elements in row-major order as a fresh typed array. */
  toTypedArray(): TypedArrayFor[D] {
    return this.contiguous(true).data;
  }

  /** The elements as nested arrays (a number for a scalar). */
  toArray(): number | NestedArray {
    const flat = this.toTypedArray();
    if (this.shape.length === 0) return flat[0];
    const build = (axis: number, start: number): NestedArray => {
      const dimension = this.shape[axis];
      const out: NestedArray = [];
      if (axis === this.shape.length - 1) {
        for (let index = 0; index < dimension; index++) out.push(flat[start + index]);
        return out;
      }
      const step = sizeOf(this.shape.slice(axis + 1));
      for (let index = 0; index < dimension; index++) out.push(build(axis + 1, start + index * step));
      return out;
    };
    return build(0, 0);
  }

  /**
   * The same elements with another shape. One dimension may be `-1` (inferred). A view when the
   * tensor is contiguous, otherwise a copy.
   */
  reshape(shape: readonly number[]): Tensor<D> {
    const target = shape.slice();
    const unknown = target.indexOf(-1);
    if (unknown !== -1) {
      if (target.indexOf(-1, unknown + 1) !== -1) {
        throw new AnnetError('INVALID_ARGUMENT', 'reshape', `only one dimension can be -1, got ${formatShape(shape)}`);
      }
      const known = sizeOf(target.filter((_, index) => index !== unknown));
      if (known === 0 || this.size % known !== 0) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          'reshape',
          `cannot reshape ${formatShape(this.shape)} (${this.size} elements) into ${formatShape(shape)}`,
        );
      }
      target[unknown] = this.size / known;
    }
    checkShape(target, 'reshape');
    if (sizeOf(target) !== this.size) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'reshape',
        `cannot reshape ${formatShape(this.shape)} (${this.size} elements) into ${formatShape(shape)} (${sizeOf(target)} elements)`,
      );
    }
    const source = this.isContiguous ? this : this.contiguous(true);
    return new Tensor(source.data, target, contiguousStrides(target), source.offset);
  }

  /** Permutes the axes (reverses them by default). A view. */
  transpose(permutation?: readonly number[]): Tensor<D> {
    const rank = this.shape.length;
    if (permutation !== undefined && !Array.isArray(permutation)) {
      throw new AnnetError(
        'INVALID_AXIS',
        'transpose',
        `permutation must be an array of ${rank} axes, got ${describeValue(permutation)}`,
      );
    }
    const order = permutation
      ? permutation.map((axis) => normalizeAxis(axis, rank, 'transpose'))
      : [...Array(rank).keys()].reverse();
    if (order.length !== rank || new Set(order).size !== rank) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'transpose',
        `permutation ${formatShape(permutation ?? [])} is not a permutation of the ${rank} axes`,
      );
    }
    return new Tensor(
      this.data,
      order.map((axis) => this.shape[axis]),
      order.map((axis) => this.strides[axis]),
      this.offset,
    );
  }

  /**
   * Selects along each axis: a number picks one index (dropping the axis), `[start, stop, step]`
   * takes a range with Python semantics (negative values count from the end; `null` is the
   * default), `null` keeps the axis whole. Missing trailing axes are kept whole. A view.
   */
  slice(...specs: SliceSpec[]): Tensor<D> {
    const rank = this.shape.length;
    if (specs.length > rank) {
      throw new AnnetError('INVALID_ARGUMENT', 'slice', `got ${specs.length} slice specs for a tensor of rank ${rank}`);
    }
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = this.offset;
    for (let axis = 0; axis < rank; axis++) {
      const spec = specs[axis] ?? null;
      const dimension = this.shape[axis];
      const stride = this.strides[axis];
      if (typeof spec === 'number') {
        if (!Number.isInteger(spec) || spec < -dimension || spec >= dimension) {
          throw new AnnetError(
            'INDEX_OUT_OF_RANGE',
            'slice',
            `index ${spec} is out of range for axis ${axis} of size ${dimension}`,
          );
        }
        offset += (spec < 0 ? spec + dimension : spec) * stride;
        continue;
      }
      const [startRaw, stopRaw, stepRaw] = spec ?? [];
      const step = stepRaw ?? 1;
      if (!Number.isInteger(step) || step === 0) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'slice',
          `step must be a non-zero integer, got ${step} on axis ${axis}`,
        );
      }
      if ((startRaw != null && !Number.isInteger(startRaw)) || (stopRaw != null && !Number.isInteger(stopRaw))) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'slice',
          `start and stop must be integers or null, got [${startRaw}, ${stopRaw}] on axis ${axis}`,
        );
      }
      const clampIndex = (value: number, low: number, high: number) =>
        Math.min(Math.max(value < 0 ? value + dimension : value, low), high);
      const start =
        startRaw == null
          ? step > 0
            ? 0
            : dimension - 1
          : step > 0
            ? clampIndex(startRaw, 0, dimension)
            : clampIndex(startRaw, -1, dimension - 1);
      const stop =
        stopRaw == null
          ? step > 0
            ? dimension
            : -1
          : step > 0
            ? clampIndex(stopRaw, 0, dimension)
            : clampIndex(stopRaw, -1, dimension - 1);
      const length =
        step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
      if (length > 0) offset += start * stride;
      shape.push(length);
      strides.push(stride * step);
    }
    return new Tensor(this.data, shape, strides, offset);
  }

  /** Removes axes of size 1 (all of them, or the given ones). A view. */
  squeeze(axes?: number | readonly number[]): Tensor<D> {
    const rank = this.shape.length;
    if (axes !== undefined && typeof axes !== 'number' && !Array.isArray(axes)) {
      throw new AnnetError(
        'INVALID_AXIS',
        'squeeze',
        `axes must be an integer or an array of integers, got ${describeValue(axes)}`,
      );
    }
    const selected =
      axes === undefined
        ? null
        : new Set((typeof axes === 'number' ? [axes] : axes).map((axis) => normalizeAxis(axis, rank, 'squeeze')));
    const shape: number[] = [];
    const strides: number[] = [];
    for (let axis = 0; axis < rank; axis++) {
      const drop = selected ? selected.has(axis) : this.shape[axis] === 1;
      if (drop && this.shape[axis] !== 1) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          'squeeze',
          `axis ${axis} has size ${this.shape[axis]}, not 1, in shape ${formatShape(this.shape)}`,
        );
      }
      if (!drop) {
        shape.push(this.shape[axis]);
        strides.push(this.strides[axis]);
      }
    }
    return new Tensor(this.data, shape, strides, this.offset);
  }

  /** Inserts an axis of size 1 at `axis` (which may be `rank`, or negative). A view. */
  expandDims(axis: number): Tensor<D> {
    const position = normalizeAxis(axis, this.shape.length + 1, 'expandDims');
    const shape = this.shape.slice();
    const strides = this.strides.slice();
    shape.splice(position, 0, 1);
    strides.splice(position, 0, 0);
    return new Tensor(this.data, shape, strides, this.offset);
  }

  /** A read-only-by-convention view repeated along broadcast axes (stride 0). */
  broadcastTo(shape: readonly number[]): Tensor<D> {
    const target = checkShape(shape, 'broadcastTo');
    const result = broadcastShapes(this.shape, target, 'broadcastTo');
    if (!shapesEqual(result, target)) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'broadcastTo',
        `cannot broadcast shape ${formatShape(this.shape)} to ${formatShape(shape)}`,
      );
    }
    const lead = target.length - this.shape.length;
    const strides = target.map((dimension, axis) => {
      if (axis < lead) return 0;
      return this.shape[axis - lead] === 1 && dimension !== 1 ? 0 : this.strides[axis - lead];
    });
    return new Tensor(this.data, target, strides, this.offset);
  }

  /** A readable summary; large tensors show their first and last three entries per axis. */
  toString(): string {
    const threshold = 1000;
    const edge = 3;
    const summarize = this.size > threshold;
    const format = (value: number) =>
      this.dtype === 'int32'
        ? String(value)
        : Number.isInteger(value)
          ? `${value}.`
          : Number(value.toPrecision(6)).toString();
    const render = (axis: number, indices: number[]): string => {
      if (axis === this.shape.length) return format(this.data[this.indexOf(indices)]);
      const dimension = this.shape[axis];
      const parts: string[] = [];
      for (let index = 0; index < dimension; index++) {
        if (summarize && dimension > 2 * edge && index === edge) {
          parts.push('...');
          index = dimension - edge - 1;
          continue;
        }
        parts.push(render(axis + 1, [...indices, index]));
      }
      const separator = axis === this.shape.length - 1 ? ', ' : `,\n${' '.repeat(axis + 1)}`;
      return `[${parts.join(separator)}]`;
    };
    return `Tensor(${render(0, [])}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

/** Nested arrays of numbers, as {@link Tensor.toArray} returns them. */
export type NestedArray = Array<number | NestedArray>;

/** Any typed array a tensor can hold. */
export type { TypedArray };
