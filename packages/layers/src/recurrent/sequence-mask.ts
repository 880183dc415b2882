import { AnnetError, formatShape, type Tensor } from '@annet/tensor';

/**
 * Which tensors carry a mask, and which: the mask of a `[batch, time, ...]` tensor is a
 * `[batch, time]` tensor of 0s and 1s (1 = a real step, 0 = padding). A weak map, so a tensor that
 * is no longer used takes its entry with it, and a layer's reused output buffer keeps one entry.
 */
const masks = new WeakMap<Tensor, Tensor>();

/**
 * Attaches `mask` (`[batch, time]`, 0s and 1s) to the sequence `tensor` (`[batch, time, ...]`), so
 * the recurrent layers that read `tensor` skip its padded steps (Keras's mask propagation, made
 * explicit). `undefined` removes the mask. Returns `tensor`. `Embedding({ maskZero: true })`,
 * {@link SequenceMask} and recurrent layers with `returnSequences` attach masks themselves.
 *
 * @example
 * const x = attachMask(embeddings, tensor([[1, 1, 0], [1, 0, 0]])); // lengths 2 and 1
 * lstm.forward(x); // steps with mask 0 carry the state through and output zeros
 */
export function attachMask(tensor: Tensor, mask: Tensor | undefined): Tensor {
  if (mask === undefined) masks.delete(tensor);
  else masks.set(tensor, mask);
  return tensor;
}

/**
 * The mask attached to `tensor` with {@link attachMask}, or undefined when every step is real.
 *
 * @example
 * maskOf(embedding.forward(ids)); // [batch, time] of 0s and 1s with Embedding({ maskZero: true })
 */
export function maskOf(tensor: Tensor): Tensor | undefined {
  return masks.get(tensor);
}

/**
 * Copies the mask of a `[batch, time, ...]` sequence into `target` (one 0 or 1 per batch·time,
 * row-major) after checking its shape and values; returns false (and writes nothing) when the
 * sequence has no mask. Throws a `SHAPE_MISMATCH` naming `operation` and both shapes for a mask
 * of another shape, an `INVALID_ARGUMENT` for a value other than 0 or 1.
 *
 * @example
 * const masked = readMask('LSTM "lstm"', input, workspace.scratch('mask', 'int32', batch * time));
 */
export function readMask(operation: string, sequence: Tensor, target: Int32Array): boolean {
  const mask = checkMaskShape(operation, sequence);
  if (mask === undefined) return false;
  const batch = sequence.shape[0];
  const time = sequence.shape[1];
  const [rowStride, columnStride] = mask.strides;
  for (let row = 0; row < batch; row++) {
    for (let step = 0; step < time; step++) {
      const value = mask.data[mask.offset + row * rowStride + step * columnStride];
      if (value !== 0 && value !== 1) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `mask values must be 0 or 1, got ${value} at [${row},${step}]`,
        );
      }
      target[row * time + step] = value;
    }
  }
  return true;
}

/**
 * The mask attached to `sequence` (or undefined) after checking it is [batch, time] for it;
 * throws a `SHAPE_MISMATCH` naming `operation` and both shapes otherwise.
 *
 * @example
 * checkMaskShape('Bidirectional "tagger"', input);
 */
export function checkMaskShape(operation: string, sequence: Tensor): Tensor | undefined {
  const mask = masks.get(sequence);
  if (mask === undefined) return undefined;
  const [batch, time] = sequence.shape;
  if (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected a mask of shape ${formatShape([batch, time])} (batch, time) for an input of shape ${formatShape(sequence.shape)}, got a mask of shape ${formatShape(mask.shape)}`,
    );
  }
  return mask;
}
