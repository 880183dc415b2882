// The MLP and CNN workloads of `pnpm bench:train` (bench/train-loop.ts) on synthetic MNIST-shaped
// data, per backend and batch size, then the same MLP and data in NumPy (bench/numpy_mlp.py, one
// BLAS thread); with --phases also the MLP step's matmul ceiling (bench/mlp-ceiling.ts).
import { activeKernels } from '../packages/tensor/dist/index.js';
import { forEachBackend } from './backends.js';
import { mlpMatmulCeiling } from './mlp-ceiling.js';
import type { ModelName } from './models.js';
import { settings } from './options.js';
import { runPythonScript, withDataFiles } from './python.js';
import { describe, print, printRatios } from './report.js';
import type { SyntheticMnist } from './synthetic-mnist.js';
import { train } from './train-loop.js';

/** With --phases, the MLP's products alone on the backend just used, per batch (after its training runs). */
function printCeiling(threads: number): void {
  for (const batch of settings.batches) {
    const { matmulMs, shapes, gflops } = mlpMatmulCeiling(batch);
    print({
      model: 'mlp',
      kind: 'matmul-ceiling',
      batch,
      backend: activeKernels().name,
      threads,
      matmulMs: Number(matmulMs.toFixed(4)),
      gflops: Number(gflops.toFixed(1)),
      matmuls: shapes.map(
        ({ m, n, k, transposeA, transposeB }) =>
          `[${m},${k}]x[${k},${n}]${transposeA ? ' A^T' : ''}${transposeB ? ' B^T' : ''}`,
      ),
    });
  }
}

/**
 * Trains the MLP and the CNN on every backend (--backends, --cnn-backends) and batch size, then
 * the MLP in NumPy, and prints the ratios annet/NumPy.
 *
 * @example
 * await benchImages(syntheticMnist(10_000, 1));
 */
export async function benchImages(data: SyntheticMnist): Promise<void> {
  const { samples, epochs, warmupEpochs, cnnEpochs, seed, batches, withPhases } = settings;
  describe(
    'mlp',
    `MLP 784-128-64-10 (ReLU), Adam lr 1e-3, seeded synthetic MNIST, ${samples} samples x ${epochs} timed epoch${epochs === 1 ? '' : 's'} after ${warmupEpochs} untimed (both sides)`,
  );
  describe(
    'cnn',
    `the demo's CNN (conv 5x5 x16, conv 5x5 x32, dense 128, dropout 0.3), Adam lr 1e-3, ${samples} samples x ${cnnEpochs} epoch${cnnEpochs === 1 ? '' : 's'} (annet only)`,
  );
  for (const model of settings.models.filter((name): name is ModelName => name === 'mlp' || name === 'cnn')) {
    const modelEpochs = model === 'cnn' ? cnnEpochs : epochs;
    await forEachBackend(model, model === 'cnn' ? settings.cnnBackends : settings.backends, (backend, threads) => {
      const warmup = model === 'mlp' ? warmupEpochs : 0;
      for (const batch of batches)
        print({ ...train(model, data, batch, modelEpochs, seed, withPhases, warmup), threads });
      if (withPhases && model === 'mlp' && (backend === 'auto' || backend === 'threads')) printCeiling(threads);
    });
  }
  if (!settings.withReference || !settings.models.includes('mlp')) return;
  const lines = withDataFiles({ 'inputs.f32': data.inputs, 'labels.i32': data.labels }, (folder) =>
    runPythonScript(
      'numpy_mlp.py',
      [folder, String(samples), String(warmupEpochs), String(epochs), String(seed), ...batches.map(String)],
      'mlp',
      'numpy',
    ),
  );
  for (const line of lines) print(line);
  printRatios('mlp', 'Numpy');
}
