/**
 * LSTM forward + backward throughput (the benchmark): batch 32, 64 steps, input 128,
 * hidden 128, float32, every step's output (`returnSequences`), in tokens per second
 * (batch·time / seconds per step), next to the same computation in PyTorch on CPU with one
 * thread when a Python with torch is found (`$TORCH_PYTHON`, else `python3`, else
 * `/usr/bin/python3`), and their ratio. Run with `pnpm bench` (after the layers table).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeKernels, createRng, randomNormal, type Tensor } from '@annet/tensor';
import { GRU, LSTM, type RecurrentLayer } from '../src/index.js';

const [batch, time, inputSize, hidden] = [32, 64, 128, 128];
const repeats = 20;
const training = { training: true } as const;

function measure(layer: RecurrentLayer): { medianMs: number; bestMs: number } {
  const rng = createRng(1);
  const x = randomNormal([batch, time, inputSize], rng);
  const dy: Tensor = randomNormal([batch, time, hidden], rng);
  const step = (): void => {
    layer.forward(x, training);
    layer.backward(dy);
  };
  for (let warmup = 0; warmup < 5; warmup++) step();
  const times: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], bestMs: times[0] };
}

function torchRun(): { torch: string; medianMs: number; bestMs: number } | string {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'lstm_torch.py');
  const candidates = [process.env.TORCH_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (entry): entry is string => entry !== undefined && entry !== '',
  );
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const result = spawnSync(python, [script, ...[batch, time, inputSize, hidden, repeats].map(String)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    if (result.status !== 0)
      return `skipped: ${python} lstm_torch.py failed: ${result.stderr.trim().split('\n').pop()}`;
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as { torch: string; medianMs: number; bestMs: number };
  }
  return `skipped: no Python with torch among ${candidates.join(', ')}`;
}

const tokens = batch * time;
const perSecond = (ms: number): string => Math.round(tokens / (ms / 1000)).toLocaleString('en-US');
const lstm = measure(new LSTM(inputSize, hidden, { returnSequences: true }));
const gru = measure(new GRU(inputSize, hidden, { returnSequences: true }));
console.log(
  `\n@annet/layers recurrent forward+backward, batch ${batch}, ${time} steps, input ${inputSize}, hidden ${hidden}, float32, kernels: ${activeKernels().name}, node ${process.version}`,
);
console.log(`| layer | median ms/step | best ms/step | tokens/s (median) |`);
console.log(`|---|---|---|---|`);
console.log(`| annet LSTM | ${lstm.medianMs.toFixed(1)} | ${lstm.bestMs.toFixed(1)} | ${perSecond(lstm.medianMs)} |`);
console.log(`| annet GRU | ${gru.medianMs.toFixed(1)} | ${gru.bestMs.toFixed(1)} | ${perSecond(gru.medianMs)} |`);
const torch = torchRun();
if (typeof torch === 'string') {
  console.log(`| PyTorch LSTM (CPU, 1 thread) | ${torch} | | |`);
} else {
  console.log(
    `| PyTorch ${torch.torch} LSTM (CPU, 1 thread) | ${torch.medianMs.toFixed(1)} | ${torch.bestMs.toFixed(1)} | ${perSecond(torch.medianMs)} |`,
  );
  console.log(
    `annet LSTM / PyTorch LSTM throughput: ${(torch.medianMs / lstm.medianMs).toFixed(2)} on medians, ${(torch.bestMs / lstm.bestMs).toFixed(2)} on best times (above 1: annet is faster; on a shared machine the best times are the steadier figure)`,
  );
}
