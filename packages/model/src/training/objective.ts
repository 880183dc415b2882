import { AnnetError, type Tensor } from '@annet/tensor';
import { LossComputer, type LossSpec } from './loss-spec.js';

/**
 * The loss of `fit` and `evaluate`: one loss for every output, or one per output name, with
 * optional weights (Keras' `loss_weights`).
 *
 * @example
 * const loss: LossOptions = { loss: { digit: 'softmaxCrossEntropy', box: 'meanSquaredError' }, lossWeights: { box: 0.5 } };
 */
export interface LossOptions {
  readonly loss: LossSpec | Readonly<Record<string, LossSpec>>;
  readonly lossWeights?: Readonly<Record<string, number>>;
}

/**
 * The training objective over a model's outputs: L = Σₖ wₖ·Lₖ(yₖ, tₖ), each Lₖ the mean loss of
 * output k over the batch, so dL/dyₖ = wₖ·dLₖ/dyₖ. Gradients are written into buffers kept across
 * batches; a weight of 1 leaves its gradient untouched (a one-output model trains exactly as
 * with its loss alone).
 *
 * @example
 * const objective = new Objective(['digit', 'box'], { loss: { digit: 'softmaxCrossEntropy', box: 'meanSquaredError' } }, 'fit');
 * const total = objective.compute(predictions, targets); // objective.gradients[k], objective.outputLosses[k]
 */
export class Objective {
  /** Per output, in output order. */
  readonly losses: readonly LossComputer[];
  /** Per output, in output order (1 unless given). */
  readonly weights: readonly number[];
  /** The last batch's loss of each output (unweighted). */
  readonly outputLosses: number[];
  /** The last batch's dL/dyₖ, in output order (reused buffers). */
  readonly gradients: Tensor[];

  constructor(outputNames: readonly string[], options: LossOptions, operation: string) {
    const { loss, lossWeights } = options;
    const perOutput = typeof loss === 'object' && loss !== null;
    if (perOutput) {
      for (const name of Object.keys(loss)) {
        if (!outputNames.includes(name))
          throw new AnnetError(
            'INVALID_ARGUMENT',
            operation,
            `loss is given for ${JSON.stringify(name)}, which is not an output; the outputs are ${outputNames.join(', ')}`,
          );
      }
    }
    this.losses = outputNames.map((name) => {
      const spec = perOutput ? (loss as Readonly<Record<string, LossSpec>>)[name] : (loss as LossSpec);
      if (spec === undefined)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `no loss for output ${JSON.stringify(name)}; give { loss: { ${outputNames.map((output) => `${output}: ...`).join(', ')} } }`,
        );
      return new LossComputer(spec);
    });
    for (const name of Object.keys(lossWeights ?? {})) {
      if (!outputNames.includes(name))
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `lossWeights names ${JSON.stringify(name)}, which is not an output; the outputs are ${outputNames.join(', ')}`,
        );
    }
    this.weights = outputNames.map((name) => {
      const weight = lossWeights?.[name] ?? 1;
      if (!(Number.isFinite(weight) && weight >= 0))
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `lossWeights.${name} must be a finite number >= 0, got ${weight}`,
        );
      return weight;
    });
    this.outputLosses = outputNames.map(() => Number.NaN);
    this.gradients = new Array(outputNames.length);
  }

  /** The weighted total loss of a batch; fills {@link Objective.gradients} and {@link Objective.outputLosses}. */
  compute(predictions: readonly Tensor[], targets: readonly Tensor[]): number {
    let total = 0;
    for (let index = 0; index < this.losses.length; index++) {
      const { loss, gradient } = this.losses[index].compute(predictions[index], targets[index]);
      const weight = this.weights[index];
      if (weight !== 1) scale(gradient, weight);
      this.outputLosses[index] = loss;
      this.gradients[index] = gradient;
      total += this.losses.length === 1 && weight === 1 ? loss : weight * loss;
    }
    return total;
  }
}

function scale(gradient: Tensor, weight: number): void {
  const data = gradient.data as Float32Array | Float64Array;
  for (let index = 0; index < data.length; index++) data[index] *= weight;
}
