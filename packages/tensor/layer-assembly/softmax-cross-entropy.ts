import { exp4, laneMax, laneSum } from './lanes';

// Softmax cross-entropy over rows of `classes` float32 logits z with int32 class labels y, in
// one sweep per row (any `classes`; rows need no alignment):
//   m = max_c z_c, e_c = e^(z_c − m), s = Σ_c e_c (float32 lanes),
//   gradient_c = e_c · (scale / s) − scale · [c = y],
// and per row the triple (m, s, z_y) in `rowStatistics`, from which the caller takes the loss
// −log p_y = m + log s − z_y (one logarithm per row, in float64). A row labelled `ignoreIndex`
// gets a zero gradient and the triple (0, 1, 0). The gradient may be the logits' own memory
// (every logit of a row is read before the row is written).

/** e^x of one value, through the four-lane exponential (the same bits as a lane of `exp4`). */
// @ts-ignore: decorator
@inline function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

export function softmaxCrossEntropyF32(
  logits: usize,
  labels: usize,
  gradient: usize,
  rowStatistics: usize,
  rows: i32,
  classes: i32,
  scale: f32,
  ignoreIndex: i32,
): void {
  const vectorEnd = classes & ~3;
  const rowBytes = <usize>classes << 2;
  for (let row = 0; row < rows; row++) {
    const z = logits + <usize>row * rowBytes;
    const g = gradient + <usize>row * rowBytes;
    const statistics = rowStatistics + <usize>row * 12;
    const label = load<i32>(labels + (<usize>row << 2));
    if (label == ignoreIndex) {
      memory.fill(g, 0, rowBytes);
      store<f32>(statistics, 0);
      store<f32>(statistics, 1, 4);
      store<f32>(statistics, 0, 8);
      continue;
    }
    const labelLogit = load<f32>(z + (<usize>label << 2));
    let largestLanes = f32x4.splat(-Infinity);
    for (let c = 0; c < vectorEnd; c += 4) largestLanes = f32x4.max(largestLanes, v128.load(z + (<usize>c << 2)));
    let largest = laneMax(largestLanes);
    for (let c = vectorEnd; c < classes; c++) largest = max<f32>(largest, load<f32>(z + (<usize>c << 2)));
    const shift = f32x4.splat(largest);
    let totalLanes = f32x4.splat(0);
    for (let c = 0; c < vectorEnd; c += 4) {
      const exponential = exp4(f32x4.sub(v128.load(z + (<usize>c << 2)), shift));
      v128.store(g + (<usize>c << 2), exponential);
      totalLanes = f32x4.add(totalLanes, exponential);
    }
    let total = laneSum(totalLanes);
    for (let c = vectorEnd; c < classes; c++) {
      const exponential = exp1(load<f32>(z + (<usize>c << 2)) - largest);
      store<f32>(g + (<usize>c << 2), exponential);
      total += exponential;
    }
    const factor = scale / total;
    const factors = f32x4.splat(factor);
    for (let c = 0; c < vectorEnd; c += 4) {
      const at = g + (<usize>c << 2);
      v128.store(at, f32x4.mul(v128.load(at), factors));
    }
    for (let c = vectorEnd; c < classes; c++) {
      const at = g + (<usize>c << 2);
      store<f32>(at, load<f32>(at) * factor);
    }
    const at = g + (<usize>label << 2);
    store<f32>(at, load<f32>(at) - scale);
    store<f32>(statistics, largest);
    store<f32>(statistics, total, 4);
    store<f32>(statistics, labelLogit, 8);
  }
}
