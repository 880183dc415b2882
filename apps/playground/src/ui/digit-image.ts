/**
 * Turns a drawing into an MNIST-like 28×28 image the way the MNIST digits were made: the ink's
 * bounding box scaled to fit 20×20 (keeping its aspect), then placed so that its centre of mass
 * sits at the centre of the 28×28 field. `ink` is a square `side × side` array of intensities in
 * [0, 1] (row-major); returns 784 values in [0, 1], or `null` when nothing is drawn.
 *
 * Scaling averages the source pixels each target pixel covers (a box filter), which is what
 * anti-aliasing a downscale amounts to.
 *
 * @example
 * const pixels = mnistPixelsOf(inkOfCanvas(pad), 280); // Float32Array(784) or null
 */
export function mnistPixelsOf(ink: Float32Array, side: number): Float32Array | null {
  let top = side;
  let bottom = -1;
  let left = side;
  let right = -1;
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      if (ink[row * side + column] <= 0) continue;
      top = Math.min(top, row);
      bottom = Math.max(bottom, row);
      left = Math.min(left, column);
      right = Math.max(right, column);
    }
  }
  if (bottom < 0) return null;
  const boxSide = Math.max(bottom - top + 1, right - left + 1);
  const scale = 20 / boxSide;
  const width = Math.max(1, Math.round((right - left + 1) * scale));
  const height = Math.max(1, Math.round((bottom - top + 1) * scale));
  const small = new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++)
      small[row * width + column] = boxAverage(ink, side, top + row / scale, left + column / scale, 1 / scale);
  }
  let mass = 0;
  let rowMass = 0;
  let columnMass = 0;
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const value = small[row * width + column];
      mass += value;
      rowMass += value * row;
      columnMass += value * column;
    }
  }
  const rowShift = Math.round(14 - rowMass / mass - 0.5);
  const columnShift = Math.round(14 - columnMass / mass - 0.5);
  const pixels = new Float32Array(784);
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const targetRow = row + rowShift;
      const targetColumn = column + columnShift;
      if (targetRow >= 0 && targetRow < 28 && targetColumn >= 0 && targetColumn < 28)
        pixels[targetRow * 28 + targetColumn] = Math.min(1, small[row * width + column]);
    }
  }
  return pixels;
}

/** The mean of the source pixels in the `size × size` square whose corner is at (`row`, `column`). */
function boxAverage(ink: Float32Array, side: number, row: number, column: number, size: number): number {
  const rowEnd = Math.min(side, Math.ceil(row + size));
  const columnEnd = Math.min(side, Math.ceil(column + size));
  let total = 0;
  let count = 0;
  for (let r = Math.floor(row); r < rowEnd; r++) {
    for (let c = Math.floor(column); c < columnEnd; c++) {
      total += ink[r * side + c];
      count++;
    }
  }
  return count === 0 ? 0 : total / count;
}
