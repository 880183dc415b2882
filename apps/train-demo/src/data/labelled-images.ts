/**
 * Digit images and their labels, as plain typed arrays.
 *
 * @example
 * const { images, labels, count } = readMnistPackage(); // images.length === count * 784
 */
export interface LabelledImages {
  /** `count × rows × columns` pixels in `[0, 1]`, row-major, image after image. */
  readonly images: Float32Array;
  /** `count` class indices. */
  readonly labels: Int32Array;
  readonly count: number;
  readonly rows: number;
  readonly columns: number;
}
