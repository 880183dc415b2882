import { formatCount, formatTable } from '../format/table.js';
import type { ModelLayer } from './model-layer.js';

/**
 * One row of a model summary.
 *
 * @example
 * model.summaryData().layers[0]; // { layer: 'dense_1 (Dense)', outputShape: [-1, 128], parameters: 100480 }
 */
export interface LayerSummary {
  /** `dense_1 (Dense)`. */
  readonly layer: string;
  /** Output shape with `-1` for the batch dimension, or `null` when the input shape is unknown. */
  readonly outputShape: readonly number[] | null;
  /** Elements in the layer's parameters and buffers. */
  readonly parameters: number;
}

/**
 * The per-layer rows and totals of a model summary.
 *
 * @example
 * model.summaryData().trainableParameters; // 101770
 */
export interface ModelSummary {
  readonly layers: readonly LayerSummary[];
  readonly trainableParameters: number;
  readonly nonTrainableParameters: number;
}

/**
 * Walks the layers, chaining `outputShape` from `inputShape` (batch dimension `-1`), and counts
 * parameters: trainable ones, and non-trainable ones (frozen parameters plus buffers such as
 * BatchNorm's running statistics, as Keras counts them).
 *
 * @example
 * summarizeLayers(model.layers, [784]).layers.map((row) => row.outputShape);
 */
export function summarizeLayers(layers: readonly ModelLayer[], inputShape: readonly number[] | null): ModelSummary {
  let shape: number[] | null = inputShape === null ? null : [-1, ...inputShape];
  let trainable = 0;
  let nonTrainable = 0;
  const rows: LayerSummary[] = [];
  for (const layer of layers) {
    shape = shape === null ? null : layer.outputShape(shape);
    let count = 0;
    for (const parameter of layer.parameters()) {
      count += parameter.value.length;
      if (parameter.trainable === false) nonTrainable += parameter.value.length;
      else trainable += parameter.value.length;
    }
    for (const buffer of layer.buffers()) {
      count += buffer.value.length;
      nonTrainable += buffer.value.length;
    }
    rows.push({ layer: `${layer.name} (${layer.getConfig().className})`, outputShape: shape, parameters: count });
  }
  return { layers: rows, trainableParameters: trainable, nonTrainableParameters: nonTrainable };
}

/**
 * Renders a {@link ModelSummary} as the table `Sequential.summary()` returns.
 *
 * @example
 * console.log(formatSummary('mlp', summarizeLayers(model.layers, [784])));
 */
export function formatSummary(name: string, summary: ModelSummary): string {
  const shapeText = (shape: readonly number[] | null) =>
    shape === null ? '?' : `[${shape.map((dimension) => (dimension === -1 ? 'batch' : String(dimension))).join(', ')}]`;
  const table = formatTable(
    ['Layer (type)', 'Output shape', 'Params'],
    summary.layers.map((row) => [row.layer, shapeText(row.outputShape), formatCount(row.parameters)]),
    { align: ['left', 'left', 'right'] },
  );
  const total = summary.trainableParameters + summary.nonTrainableParameters;
  return [
    `Model "${name}"`,
    table,
    `Total parameters: ${formatCount(total)}`,
    `Trainable: ${formatCount(summary.trainableParameters)}   Non-trainable: ${formatCount(summary.nonTrainableParameters)}`,
  ].join('\n');
}
