// The MLP step's "SIMD matmul ceiling": the time its own matrix products take alone on the
// resident kernels (operands in the kernels' memory, as layers allocate them), so the whole step
// can be compared with the products it cannot do without.
import { softmaxCrossEntropy } from '../packages/layers/dist/index.js';
import {
  activeKernels,
  residentZeros,
  Tensor,
  useKernels,
  type Kernels,
  type MatmulArguments,
} from '../packages/tensor/dist/index.js';
import { buildModel } from './models.js';
import { pixels } from './synthetic-mnist.js';

/** One matrix product of a step: op(A) [m,k] · op(B) [k,n]. */
export interface MatmulShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/**
 * The products one training step of the bench MLP at `batch` calls, in order, recorded by
 * running that step (forward, loss, backward; the optimizer has no product) on kernels that note
 * every call and pass it on to the active ones. Fused forward products (bias and ReLU in the
 * epilogue) count as their product.
 *
 * @example
 * mlpMatmulShapes(64).length; // 8: 3 forward, 3 weight gradients, 2 input gradients
 */
export function mlpMatmulShapes(batch: number): MatmulShape[] {
  const base = activeKernels();
  const shapes: MatmulShape[] = [];
  const note = (args: MatmulArguments<Float32Array | Float64Array>) =>
    shapes.push({ m: args.m, n: args.n, k: args.k, transposeA: args.transposeA, transposeB: args.transposeB });
  const recorder: Kernels = {
    name: `recording ${base.name}`,
    matmulFloat32: (args) => (note(args), base.matmulFloat32(args)),
    matmulFloat64: (args) => (note(args), base.matmulFloat64(args)),
    matmulBiasActivationFloat32: (args, bias, biasOffset, activation) => {
      note(args);
      if (base.matmulBiasActivationFloat32 !== undefined)
        base.matmulBiasActivationFloat32(args, bias, biasOffset, activation);
      else throw new Error('mlpMatmulShapes: the recorder offers no fused product the base kernels lack');
    },
  };
  if (base.matmulBiasActivationFloat32 === undefined) delete recorder.matmulBiasActivationFloat32;
  const previous = useKernels(recorder);
  try {
    const { layers } = buildModel('mlp', 1);
    const inputs = new Tensor(new Float32Array(batch * pixels).fill(0.5), [batch, pixels]);
    const labels = new Tensor(new Int32Array(batch), [batch]);
    let activation: Tensor = inputs;
    for (const layer of layers) activation = layer.forward(activation, { training: true });
    let gradient: Tensor = softmaxCrossEntropy(activation, labels).gradient;
    for (let index = layers.length - 1; index >= 0; index--)
      gradient = layers[index].backward(gradient, index === 0 ? { inputGradient: false } : undefined);
  } finally {
    useKernels(previous);
  }
  return shapes;
}

/** Seconds per call: the fastest of many ~0.3 ms samples (the kernel's cost when nothing preempts it). */
function bestSecondsPerCall(body: () => void, milliseconds: number): number {
  body();
  let start = performance.now();
  body();
  const calls = Math.max(1, Math.ceil(0.3 / Math.max(performance.now() - start, 1e-4)));
  let best = Infinity;
  const end = performance.now() + milliseconds;
  while (performance.now() < end) {
    start = performance.now();
    for (let call = 0; call < calls; call++) body();
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return best / 1000;
}

/** A float32 array of `length` in the active kernels' memory (an ordinary one when they have none), filled with small values. */
function residentOperand(length: number): Float32Array {
  const data = residentZeros([length]).data as Float32Array;
  for (let index = 0; index < length; index++) data[index] = ((index * 7) % 11) / 11 - 0.5;
  return data;
}

/**
 * Milliseconds the MLP step's products take alone on the active kernels (kernel threads too, when
 * started), the sum over {@link mlpMatmulShapes} of each product's fastest time, operands resident.
 *
 * @example
 * const { matmulMs, shapes } = mlpMatmulCeiling(64);
 */
export function mlpMatmulCeiling(
  batch: number,
  millisecondsPerShape = 150,
): { matmulMs: number; shapes: MatmulShape[]; gflops: number } {
  const shapes = mlpMatmulShapes(batch);
  const kernels = activeKernels();
  let seconds = 0;
  let flops = 0;
  for (const shape of shapes) {
    const { m, n, k, transposeA, transposeB } = shape;
    const args: MatmulArguments<Float32Array> = {
      a: residentOperand(m * k),
      aOffset: 0,
      lda: transposeA ? m : k,
      transposeA,
      b: residentOperand(k * n),
      bOffset: 0,
      ldb: transposeB ? k : n,
      transposeB,
      out: residentOperand(m * n),
      outOffset: 0,
      ldc: n,
      m,
      n,
      k,
      accumulate: false,
    };
    seconds += bestSecondsPerCall(() => kernels.matmulFloat32(args), millisecondsPerShape);
    flops += 2 * m * n * k;
  }
  return { matmulMs: seconds * 1000, shapes, gflops: flops / seconds / 1e9 };
}
