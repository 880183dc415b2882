import { formatCount, formatTable } from '../format/table.js';
import type { GraphPlan } from './graph-plan.js';

/**
 * One row of a graph model's summary: a layer call with what feeds it.
 *
 * @example
 * summary.rows[3]; // { layer: 'add_1 (Add)', outputShape: [-1, 16, 14, 14], parameters: 0, inbound: ['batch_norm_2', 'conv2d_1'] }
 */
export interface GraphSummaryRow {
  readonly layer: string;
  readonly outputShape: readonly number[];
  /** Elements in the layer's parameters and buffers (counted on its first call only). */
  readonly parameters: number;
  /** The tensors this call reads: input names, or layer names (`dense_1@1` for a second call). */
  readonly inbound: readonly string[];
}

/**
 * A graph model's summary as data.
 *
 * @example
 * model.summaryData().trainableParameters; // 101770
 */
export interface GraphSummary {
  readonly inputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly rows: readonly GraphSummaryRow[];
  readonly outputs: readonly { readonly name: string; readonly tensor: string }[];
  readonly trainableParameters: number;
  readonly nonTrainableParameters: number;
}

/**
 * Rows per layer call in execution order, and parameter totals (buffers count as non-trainable, as in Keras).
 *
 * @example
 * summarizePlan(plan).rows.map((row) => row.inbound);
 */
export function summarizePlan(plan: GraphPlan): GraphSummary {
  let trainable = 0;
  let nonTrainable = 0;
  const counted = new Set<object>();
  const rows = plan.nodes.map((node) => {
    let count = 0;
    if (node.call === 0) {
      for (const parameter of node.layer.parameters()) {
        // A parameter shared by two layers (a tied output projection) counts where it first appears.
        if (counted.has(parameter)) continue;
        counted.add(parameter);
        count += parameter.value.length;
        if (parameter.trainable === false) nonTrainable += parameter.value.length;
        else trainable += parameter.value.length;
      }
      for (const buffer of node.layer.buffers()) {
        count += buffer.value.length;
        nonTrainable += buffer.value.length;
      }
    }
    const name = plan.slotNames[node.outputSlot];
    return {
      layer: `${name} (${node.layer.getConfig().className})`,
      outputShape: node.output.shape.slice(),
      parameters: count,
      inbound: node.inputSlots.map((slot) => plan.slotNames[slot]),
    };
  });
  return {
    inputs: plan.inputs.map((tensor) => ({ name: tensor.inputName!, shape: tensor.shape.slice() })),
    rows,
    outputs: plan.outputNames.map((name, index) => ({ name, tensor: plan.slotNames[plan.outputSlots[index]] })),
    trainableParameters: trainable,
    nonTrainableParameters: nonTrainable,
  };
}

/**
 * The printable table of {@link summarizePlan}: inputs, then layer calls with their inbound tensors.
 *
 * @example
 * console.log(formatGraphSummary('resnet', summarizePlan(plan)));
 */
export function formatGraphSummary(name: string, summary: GraphSummary): string {
  const shapeText = (shape: readonly number[]) =>
    `[${shape.map((dimension) => (dimension === -1 ? 'batch' : String(dimension))).join(', ')}]`;
  const table = formatTable(
    ['Layer (type)', 'Output shape', 'Params', 'Inbound'],
    [
      ...summary.inputs.map((entry) => [`${entry.name} (Input)`, shapeText(entry.shape), '0', '']),
      ...summary.rows.map((row) => [
        row.layer,
        shapeText(row.outputShape),
        formatCount(row.parameters),
        row.inbound.join(', '),
      ]),
    ],
    { align: ['left', 'left', 'right', 'left'] },
  );
  const total = summary.trainableParameters + summary.nonTrainableParameters;
  return [
    `Model "${name}"`,
    table,
    `Outputs: ${summary.outputs.map((output) => (output.name === output.tensor ? output.name : `${output.name} = ${output.tensor}`)).join(', ')}`,
    `Total parameters: ${formatCount(total)}`,
    `Trainable: ${formatCount(summary.trainableParameters)}   Non-trainable: ${formatCount(summary.nonTrainableParameters)}`,
  ].join('\n');
}
