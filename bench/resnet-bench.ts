// The ResNet workload of `pnpm bench:train`: annet on each step backend (bench/resnet-loop.ts),
// then the same network, optimizer and images in PyTorch one thread (bench/torch_resnet.py).
import { buildOptimizer } from '../apps/train-demo/dist/optimizer-factory.js';
import { forEachBackend } from './backends.js';
import { settings } from './options.js';
import { runPythonScript, withDataFiles } from './python.js';
import { describe, print, printRatios } from './report.js';
import { resnetSettings, trainResnet } from './resnet-loop.js';
import type { SyntheticMnist } from './synthetic-mnist.js';

/**
 * Trains the ResNet for --resnet-iterations steps (after --warmup) on every --step-backends
 * backend, then in PyTorch, printing each run and the ratios annet/PyTorch.
 *
 * @example
 * await benchResnet(syntheticMnist(10_000, 1));
 */
export async function benchResnet(data: SyntheticMnist): Promise<void> {
  const { seed, resnetIterations, warmup } = settings;
  const demo = resnetSettings();
  const optimizer = buildOptimizer(demo, 1, 1);
  describe(
    'resnet',
    `the demo's residual CNN (stem 3x3 x16, residual blocks 16-32-64 with BatchNorm, global average pooling, dense 10), ${optimizer.type} lr ${demo.learningRate} weight decay ${String(optimizer.config.weightDecay)}, batch ${demo.batchSize}, ${resnetIterations} timed steps after ${warmup}, seeded synthetic MNIST`,
  );
  await forEachBackend('resnet', settings.stepBackends, (_, threads) =>
    print({ ...trainResnet(data, resnetIterations, warmup, seed), threads }),
  );
  if (!settings.withReference) return;
  const config = {
    samples: data.samples,
    batch: demo.batchSize,
    iterations: resnetIterations,
    warmup,
    seed,
    optimizer: { type: optimizer.type, config: optimizer.config },
  };
  const lines = withDataFiles({ 'inputs.f32': data.inputs, 'labels.i32': data.labels }, (folder) =>
    runPythonScript(
      'torch_resnet.py',
      [`${folder}/inputs.f32`, `${folder}/labels.i32`, JSON.stringify(config)],
      'resnet',
      'pytorch',
    ),
  );
  for (const line of lines) print(line);
  printRatios('resnet', 'Torch');
}
