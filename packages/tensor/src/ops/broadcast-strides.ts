/**
 * The strides that read a tensor of `shape` and `strides` as if broadcast to `target` (stride 0
 * on added or repeated axes), without making a view: what `Tensor.broadcastTo` computes, for
 * engines that only need the numbers. The shapes must broadcast (callers have checked).
 *
 * @example
 * broadcastStrides([3, 1], [1, 1], [2, 3, 4]); // [0, 1, 0]
 */
export function broadcastStrides(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] {
  const lead = target.length - shape.length;
  const result = new Array<number>(target.length);
  for (let axis = 0; axis < target.length; axis++) {
    result[axis] = axis < lead || (shape[axis - lead] === 1 && target[axis] !== 1) ? 0 : strides[axis - lead];
  }
  return result;
}
