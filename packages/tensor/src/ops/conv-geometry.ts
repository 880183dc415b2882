import { AnnetError, formatShape } from '../errors.js';

/** Options of {@link im2col} and {@link col2im}. */
export interface Im2colOptions {
  /** Kernel height and width (one number for a square kernel). */
  kernelSize: number | readonly [number, number];
  /** Step between windows, [vertical, horizontal] or one number (default 1). */
  stride?: number | readonly [number, number];
  /**
   * Zero padding: one number for every side, [vertical, horizontal], or
   * [top, bottom, left, right] (default 0).
   */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
  /** Spacing between kernel taps, [vertical, horizontal] or one number (default 1). */
  dilation?: number | readonly [number, number];
}

/** Every size of a 2-D convolution over an NCHW input, resolved from {@link Im2colOptions}. */
export interface ConvGeometry {
  batch: number;
  channels: number;
  height: number;
  width: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  dilationHeight: number;
  dilationWidth: number;
  /** ⌊(height + padTop + padBottom − dilationHeight·(kernelHeight − 1) − 1) / strideHeight⌋ + 1 */
  outHeight: number;
  /** ⌊(width + padLeft + padRight − dilationWidth·(kernelWidth − 1) − 1) / strideWidth⌋ + 1 */
  outWidth: number;
}

function pair(
  value: number | readonly number[] | undefined,
  fallback: number,
  name: string,
  minimum: number,
  operation: string,
): [number, number] {
  const values =
    value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : Array.from(value);
  if (values.length !== 2 || !values.every((item) => Number.isSafeInteger(item) && item >= minimum)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${name} must be an integer >= ${minimum} or a pair of them, got ${JSON.stringify(value)}`,
    );
  }
  return [values[0], values[1]];
}

function sides(value: Im2colOptions['padding'], operation: string): [number, number, number, number] {
  if (Array.isArray(value) && value.length === 4) {
    if (!value.every((item) => Number.isSafeInteger(item) && item >= 0)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `padding must be non-negative integers, got ${JSON.stringify(value)}`,
      );
    }
    return [value[0], value[1], value[2], value[3]];
  }
  const [vertical, horizontal] = pair(
    value as number | readonly [number, number] | undefined,
    0,
    'padding',
    0,
    operation,
  );
  return [vertical, vertical, horizontal, horizontal];
}

/**
 * Resolves the convolution sizes for an NCHW input shape, checking every option and that the
 * (dilated) kernel fits in the padded input.
 *
 * @example
 * const g = conv2dGeometry([8, 3, 32, 32], { kernelSize: 3, padding: 1 });
 * [g.outHeight, g.outWidth]; // [32, 32]
 */
export function conv2dGeometry(
  inputShape: readonly number[],
  options: Im2colOptions,
  operation = 'conv2dGeometry',
): ConvGeometry {
  if (inputShape.length !== 4) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected an NCHW input of rank 4, got shape ${formatShape(inputShape)}`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected options with at least kernelSize, got ${String(options)}`,
    );
  }
  const [batch, channels, height, width] = inputShape;
  const [kernelHeight, kernelWidth] = pair(options.kernelSize, Number.NaN, 'kernelSize', 1, operation);
  const [strideHeight, strideWidth] = pair(options.stride, 1, 'stride', 1, operation);
  const [dilationHeight, dilationWidth] = pair(options.dilation, 1, 'dilation', 1, operation);
  const [padTop, padBottom, padLeft, padRight] = sides(options.padding, operation);
  const spanHeight = dilationHeight * (kernelHeight - 1) + 1;
  const spanWidth = dilationWidth * (kernelWidth - 1) + 1;
  const paddedHeight = height + padTop + padBottom;
  const paddedWidth = width + padLeft + padRight;
  if (spanHeight > paddedHeight || spanWidth > paddedWidth) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `a ${kernelHeight}x${kernelWidth} kernel (dilation ${dilationHeight}x${dilationWidth}, span ${spanHeight}x${spanWidth}) does not fit in the padded ${paddedHeight}x${paddedWidth} input of shape ${formatShape(inputShape)}`,
    );
  }
  return {
    batch,
    channels,
    height,
    width,
    kernelHeight,
    kernelWidth,
    strideHeight,
    strideWidth,
    padTop,
    padBottom,
    padLeft,
    padRight,
    dilationHeight,
    dilationWidth,
    outHeight: Math.floor((paddedHeight - spanHeight) / strideHeight) + 1,
    outWidth: Math.floor((paddedWidth - spanWidth) / strideWidth) + 1,
  };
}
