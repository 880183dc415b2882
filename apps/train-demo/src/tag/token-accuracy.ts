import type { JsonObject } from '@annet/layer-api';
import type { Metric } from '@annet/model';
import { AnnetError, formatShape, type Tensor } from '@annet/tensor';

/**
 * The padding label of tag targets: `paddedCollate`'s default, and the loss's `ignoreIndex`.
 *
 * @example
 * softmaxCrossEntropy(logits, tags, { ignoreIndex: ignoredLabel });
 */
export const ignoredLabel = -100;

/**
 * The arg-max class of each of `rows` rows of `classes` logits, starting at `data[offset]`.
 *
 * @example
 * argmaxRows(Float32Array.from([0, 2, 1, 5, 0, 0]), 0, 2, 3); // Int32Array [1, 0]
 */
export function argmaxRows(data: ArrayLike<number>, offset: number, rows: number, classes: number): Int32Array {
  const best = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const start = offset + row * classes;
    let top = 0;
    for (let k = 1; k < classes; k++) if (data[start + k] > data[start + top]) top = k;
    best[row] = top;
  }
  return best;
}

/**
 * Token accuracy of a tagger: predictions `[batch, time, tags]` against tag ids `[batch, time]`,
 * counting only positions whose label is not {@link ignoredLabel} (padding). A streaming metric
 * of `@annet/model`, so `fit` logs it per epoch and a mid-epoch checkpoint keeps its counts.
 *
 * @example
 * await model.fit(loader, { ..., metrics: [new TokenAccuracy()] });
 */
export class TokenAccuracy implements Metric {
  readonly name = 'accuracy';
  private right = 0;
  private total = 0;

  update(predictions: Tensor, targets: Tensor): void {
    const [batch, time, classes] = predictions.shape;
    if (predictions.shape.length !== 3 || targets.shape.length !== 2 || targets.shape[0] !== batch || targets.shape[1] !== time) {
      throw new AnnetError('SHAPE_MISMATCH', 'TokenAccuracy', `expected predictions [batch,time,tags] and targets [batch,time], got ${formatShape(predictions.shape)} and ${formatShape(targets.shape)}`);
    }
    const logits = predictions.contiguous();
    const labels = targets.contiguous();
    const predicted = argmaxRows(logits.data, logits.offset, batch * time, classes);
    for (let position = 0; position < batch * time; position++) {
      const label = labels.data[labels.offset + position];
      if (label === ignoredLabel) continue;
      this.total++;
      if (predicted[position] === label) this.right++;
    }
  }

  result(): number {
    return this.total === 0 ? Number.NaN : this.right / this.total;
  }

  reset(): void {
    this.right = 0;
    this.total = 0;
  }

  state(): JsonObject {
    return { right: this.right, total: this.total };
  }

  setState(state: JsonObject): void {
    this.right = Number(state.right);
    this.total = Number(state.total);
  }
}
