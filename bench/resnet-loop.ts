// The residual CNN workload: the demo's `--model resnet` (apps/train-demo/src/resnet.ts, imported
// from its build) with the demo's optimizer and batch size on synthetic MNIST-shaped data.
// bench/torch_resnet.py trains the same network on the same bytes.
import { parseCliArguments } from '../apps/train-demo/dist/args.js';
import { buildOptimizer } from '../apps/train-demo/dist/optimizer-factory.js';
import { buildResNet } from '../apps/train-demo/dist/resnet.js';
import { resolveSettings } from '../apps/train-demo/dist/settings.js';
import { softmaxCrossEntropy } from '../packages/layers/dist/index.js';
import { activeKernels, residentZeros, Tensor } from '../packages/tensor/dist/index.js';
import { pixels, type SyntheticMnist } from './synthetic-mnist.js';
import { parameterCount, timeSteps } from './timed-steps.js';

/** The demo's resnet settings (AdamW lr 2e-3, batch 64), the schedule held constant (a per-step scalar that costs nothing). */
export const resnetSettings = () =>
  resolveSettings(parseCliArguments(['--model', 'resnet', '--schedule', 'constant', '--shift', '0']));

/** One ResNet benchmark run: the JSON line `pnpm bench:train` prints for `model: 'resnet'`. */
export interface ResnetResult {
  model: 'resnet';
  backend: string;
  batch: number;
  iterations: number;
  samplesPerSecond: number;
  msPerStep: number;
  /** Mean training loss over the last 10 steps. */
  finalLoss: number;
  parameters: number;
}

/**
 * Trains the demo's ResNet (stem conv 3x3 x16 + BatchNorm + ReLU + max pool, residual blocks
 * 16-16, 16-32 and 32-64 with projection shortcuts, global average pooling, dense 10) with
 * softmax cross-entropy on batches taken in order from `data` (wrapping around; no shifts:
 * augmentation is data loading, not the step), timing `iterations` steps after `warmup` ones.
 *
 * @example
 * const result = trainResnet(syntheticMnist(10_000, 1), 30, 3, 1);
 */
export function trainResnet(data: SyntheticMnist, iterations: number, warmup: number, seed: number): ResnetResult {
  const settings = resnetSettings();
  const model = buildResNet().initialize(seed);
  const optimizer = buildOptimizer(settings, warmup + iterations, warmup + iterations);
  const batch = settings.batchSize;
  const images = new Tensor(new Float32Array(batch * pixels), [batch, 1, 28, 28]);
  const labels = new Tensor(new Int32Array(batch), [batch]);
  // The loss gradient lives in the kernels' memory, made on the first step and reused, as fit's
  // LossComputer keeps it: the loss runs in WebAssembly SIMD and the head's products read it in place.
  let lossGradient: Tensor | undefined;
  const { seconds, finalLoss } = timeSteps(warmup, iterations, (iteration) => {
    for (let row = 0; row < batch; row++) {
      const sample = (iteration * batch + row) % data.samples;
      (images.data as Float32Array).set(data.inputs.subarray(sample * pixels, (sample + 1) * pixels), row * pixels);
      (labels.data as Int32Array)[row] = data.labels[sample];
    }
    const { digit } = model.forward(images, { training: true });
    const { loss, gradient } = softmaxCrossEntropy(digit, labels, {
      out: (lossGradient ??= residentZeros(digit.shape)),
    });
    lossGradient = gradient;
    model.backward({ digit: gradient });
    optimizer.step(model);
    return loss;
  });
  return {
    model: 'resnet',
    backend: activeKernels().name,
    batch,
    iterations,
    samplesPerSecond: Math.round((iterations * batch) / seconds),
    msPerStep: Number(((seconds * 1000) / iterations).toFixed(2)),
    finalLoss,
    parameters: parameterCount(model),
  };
}
