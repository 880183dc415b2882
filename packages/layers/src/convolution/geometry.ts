import { AnnetError } from '@annet/tensor';

/**
 * A size given once for both spatial axes, or as `[height, width]`.
 *
 * @example
 * const kernelSize: PairOption = [3, 1];
 */
export type PairOption = number | readonly [number, number];

/**
 * Spatial padding: `'valid'` (none), `'same'` (output size ⌈input/stride⌉, extra padding at the
 * bottom and right, as in TensorFlow and Keras), a number for all four sides, or
 * `[height, width]` padding applied on both sides of each axis.
 *
 * @example
 * const padding: Padding = 'same';
 */
export type Padding = 'valid' | 'same' | number | readonly [number, number];

/**
 * Where a sliding window goes on an H×W image: what Conv2D and the pooling layers compute from
 * their options and the input size.
 *
 * @example
 * const { outputHeight, outputWidth } = windowGeometry('Conv2D', 28, 28, [3, 3], [1, 1], [1, 1], 'valid'); // 26, 26
 */
export interface WindowGeometry {
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly outputHeight: number;
  readonly outputWidth: number;
}

/**
 * Reads a {@link PairOption} as `[height, width]` of positive integers.
 *
 * @example
 * readPair('Conv2D', 'stride', 2); // [2, 2]
 */
export function readPair(operation: string, what: string, value: PairOption): [number, number] {
  const pair: readonly number[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  if (pair.length !== 2 || !pair.every((entry) => Number.isSafeInteger(entry) && entry > 0)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${what} must be a positive integer or [height, width] of them, got ${JSON.stringify(value)}`,
    );
  }
  return [pair[0], pair[1]];
}

/**
 * Checks a {@link Padding} option.
 *
 * @example
 * readPadding('Conv2D', [1, 2]); // [1, 2]
 */
export function readPadding(operation: string, padding: Padding): Padding {
  if (padding === 'valid' || padding === 'same') return padding;
  const pair: readonly number[] =
    typeof padding === 'number' ? [padding] : Array.isArray(padding) && padding.length === 2 ? padding : [];
  if (pair.length === 0 || !pair.every((entry) => Number.isSafeInteger(entry) && entry >= 0)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `padding must be 'valid', 'same', a non-negative integer or [height, width] of them, got ${JSON.stringify(padding)}`,
    );
  }
  return typeof padding === 'number' ? padding : [pair[0], pair[1]];
}

/**
 * The window geometry for an `inputHeight × inputWidth` image. With effective kernel
 * k′ = dilation·(k − 1) + 1, an axis of size n padded by p₀ + p₁ gives ⌊(n + p₀ + p₁ − k′)/stride⌋ + 1
 * outputs; `'same'` picks p₀ + p₁ = max((⌈n/stride⌉ − 1)·stride + k′ − n, 0) with p₀ = ⌊(p₀ + p₁)/2⌋.
 *
 * @example
 * windowGeometry('Conv2D', 28, 28, [3, 3], [1, 1], [1, 1], 'same').outputHeight; // 28
 */
export function windowGeometry(
  operation: string,
  inputHeight: number,
  inputWidth: number,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dilation: readonly [number, number],
  padding: Padding,
): WindowGeometry {
  const vertical = axisGeometry(
    inputHeight,
    kernel[0],
    stride[0],
    dilation[0],
    padding === 'valid' || padding === 'same' ? padding : typeof padding === 'number' ? padding : padding[0],
  );
  const horizontal = axisGeometry(
    inputWidth,
    kernel[1],
    stride[1],
    dilation[1],
    padding === 'valid' || padding === 'same' ? padding : typeof padding === 'number' ? padding : padding[1],
  );
  if (vertical.output < 1 || horizontal.output < 1) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `a ${kernel[0]}x${kernel[1]} window (dilation ${dilation[0]}x${dilation[1]}) does not fit a ${inputHeight}x${inputWidth} input with padding ${JSON.stringify(padding)}`,
    );
  }
  return {
    kernelHeight: kernel[0],
    kernelWidth: kernel[1],
    strideHeight: stride[0],
    strideWidth: stride[1],
    dilationHeight: dilation[0],
    dilationWidth: dilation[1],
    padTop: vertical.before,
    padBottom: vertical.after,
    padLeft: horizontal.before,
    padRight: horizontal.after,
    outputHeight: vertical.output,
    outputWidth: horizontal.output,
  };
}

function axisGeometry(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'valid' | 'same' | number,
): { before: number; after: number; output: number } {
  const effectiveKernel = dilation * (kernel - 1) + 1;
  if (padding === 'same') {
    const output = Math.ceil(size / stride);
    const total = Math.max((output - 1) * stride + effectiveKernel - size, 0);
    return { before: Math.floor(total / 2), after: total - Math.floor(total / 2), output };
  }
  const pad = padding === 'valid' ? 0 : padding;
  return { before: pad, after: pad, output: Math.floor((size + 2 * pad - effectiveKernel) / stride) + 1 };
}

/**
 * The JSON form of a pair option: a number when both entries agree.
 *
 * @example
 * pairConfig([3, 3]); // 3
 */
export function pairConfig(pair: readonly [number, number]): number | [number, number] {
  return pair[0] === pair[1] ? pair[0] : [pair[0], pair[1]];
}
