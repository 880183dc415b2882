/**
 * Walks an n-dimensional iteration space row by row for several operands at once, each with
 * its own strides (0 on broadcast axes) and offset. The innermost axis is left to the caller's
 * loop, so the hot loop is a plain `for` with a stride per operand; this object only moves the
 * row starts. Axes are first coalesced: adjacent axes that every operand steps through
 * contiguously merge into one, so a contiguous tensor is a single long row.
 *
 * @example
 * const rows = new RowIterator(out.shape, [a.strides, out.strides], [a.offset, out.offset]);
 * for (let row = 0; row < rows.rowCount; row++, rows.next()) {
 *   let source = rows.position[0], target = rows.position[1];
 *   for (let j = 0; j < rows.rowLength; j++, source += rows.innerStride[0], target += rows.innerStride[1]) out.data[target] = a.data[source];
 * }
 */
export class RowIterator {
  /** Start of the current row in each operand's data. */
  readonly position: number[];
  /** Each operand's stride along the row. */
  readonly innerStride: number[];
  /** Elements per row (1 for a scalar space, 0 when the space is empty). */
  readonly rowLength: number;
  /** Number of rows (0 when the space is empty). */
  readonly rowCount: number;
  private readonly outerShape: number[];
  private readonly outerStrides: number[][];
  private readonly counter: number[];

  constructor(shape: readonly number[], strides: ReadonlyArray<readonly number[]>, offsets: readonly number[]) {
    const merged = coalesce(shape, strides);
    const rank = merged.shape.length;
    this.position = offsets.slice();
    this.rowLength = rank === 0 ? 1 : merged.shape[rank - 1];
    this.innerStride = merged.strides.map((operandStrides) => (rank === 0 ? 0 : operandStrides[rank - 1]));
    this.outerShape = merged.shape.slice(0, Math.max(0, rank - 1));
    this.outerStrides = merged.strides.map((operandStrides) => operandStrides.slice(0, Math.max(0, rank - 1)));
    this.counter = new Array<number>(this.outerShape.length).fill(0);
    let rows = 1;
    for (const dimension of this.outerShape) rows *= dimension;
    this.rowCount = this.rowLength === 0 ? 0 : rows;
  }

  /** Goes back to the first row, with the operands starting at `offsets`. */
  reset(offsets: readonly number[]): void {
    for (let operand = 0; operand < this.position.length; operand++) this.position[operand] = offsets[operand];
    this.counter.fill(0);
  }

  /**
   * Goes back to the first row with up to three operands starting at the given offsets: the
   * allocation-free form of {@link RowIterator.reset} for iterators kept in a plan cache.
   */
  restart(first: number, second = 0, third = 0): void {
    const position = this.position;
    position[0] = first;
    if (position.length > 1) position[1] = second;
    if (position.length > 2) position[2] = third;
    this.counter.fill(0);
  }

  /** Moves every operand's position to the start of the next row (row-major order). */
  next(): void {
    const operands = this.position.length;
    for (let axis = this.outerShape.length - 1; axis >= 0; axis--) {
      this.counter[axis]++;
      if (this.counter[axis] < this.outerShape[axis]) {
        for (let operand = 0; operand < operands; operand++) this.position[operand] += this.outerStrides[operand][axis];
        return;
      }
      for (let operand = 0; operand < operands; operand++)
        this.position[operand] -= (this.counter[axis] - 1) * this.outerStrides[operand][axis];
      this.counter[axis] = 0;
    }
  }
}

/**
 * Drops size-1 axes and merges axis pairs (i, i+1) where every operand has
 * `strides[i] === shape[i+1] * strides[i+1]`, which leaves the element order unchanged.
 *
 * @example
 * coalesce([2, 3], [[3, 1]]); // { shape: [6], strides: [[1]] }
 */
export function coalesce(
  shape: readonly number[],
  strides: ReadonlyArray<readonly number[]>,
): { shape: number[]; strides: number[][] } {
  const keptShape: number[] = [];
  const keptStrides: number[][] = strides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    if (shape[axis] === 1) continue;
    const last = keptShape.length - 1;
    const mergeable =
      last >= 0 &&
      strides.every((operandStrides, operand) => keptStrides[operand][last] === shape[axis] * operandStrides[axis]);
    if (mergeable) {
      keptShape[last] *= shape[axis];
      strides.forEach((operandStrides, operand) => (keptStrides[operand][last] = operandStrides[axis]));
    } else {
      keptShape.push(shape[axis]);
      strides.forEach((operandStrides, operand) => keptStrides[operand].push(operandStrides[axis]));
    }
  }
  if (shape.some((dimension) => dimension === 0)) return { shape: [0], strides: strides.map(() => [0]) };
  return { shape: keptShape, strides: keptStrides };
}
