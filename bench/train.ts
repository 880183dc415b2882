// `pnpm bench:train`: trains the MLP 784-128-64-10 (and the demo's CNN) on seeded synthetic
// MNIST-shaped data for 3 epochs at batch 64 and 256 with annet, on the automatically selected
// kernels (WebAssembly SIMD where it runs) and on the TypeScript kernels for comparison, then
// the same MLP and data in NumPy (bench/numpy_mlp.py, one BLAS thread) when python3 has NumPy.
// Prints one JSON line per run, then one per batch size with the ratio annet/NumPy; a Markdown
// summary goes to stderr.
//
// Then (model "gpt") nanoGPT's CPU baby GPT (bench/gpt-loop.ts) for --gpt-iterations steps (30,
// after 3 warm-up steps) on seeded synthetic tokens, and the same model, optimizer and tokens in
// PyTorch (bench/torch_gpt.py, one thread) when python3 has torch, with the ratio.
// Options: --epochs N (3), --samples N (10000), --seed N (1), --batches 64,256,
//          --models mlp,cnn,gpt, --backends auto,threads,relaxed,js (MLP), --cnn-backends auto,threads
//          (the CNN does ~25x the MLP's work per sample: on the TypeScript kernels 3 epochs take
//          many minutes, and about one minute per run with WebAssembly: add relaxed or js on
//          purpose), --no-numpy, --phases (adds ms per step of each phase: batch copy, forward,
//          loss, backward, optimizer), --node VERSION (also runs the annet part under that Node,
//          taken from the npm registry's `node` package with `npx -y node@VERSION`, in the same
//          run: Node 22+ has relaxed SIMD on by default; the project itself stays on Node 20).
// Every line carries "node": the version that ran it.
// Backends: "auto" is what activeKernels() selects in this process (plain WebAssembly SIMD on
// Node 20); "threads" is the same with startKernelThreads() from @annet/tensor/node (large
// matmuls split across os.availableParallelism() threads; the lines then carry "threads": N); "relaxed" reruns the auto selection in a child `node --experimental-wasm-relaxed-simd`
// (Node 20 hides relaxed SIMD behind that flag, which NODE_OPTIONS refuses; Node 22+ and current
// browsers have it by default); "js" forces the TypeScript kernels (the "before" figures);
// "naive" forces a naive triple-loop matmul (the seed's design; not run unless asked).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { matmulNaive } from '../packages/tensor/dist/kernels/matmul-naive.js';
import { jsKernels, useKernels, type Kernels } from '../packages/tensor/dist/index.js';
import { startKernelThreads } from '../packages/tensor/dist/node.js';
import type { ModelName } from './models.js';
import { syntheticMnist } from './synthetic-mnist.js';
import { syntheticTokens, trainGpt, type GptResult } from './gpt-loop.js';
import { train, type TrainResult } from './train-loop.js';

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0 && index + 1 < process.argv.length) return process.argv[index + 1];
  return process.argv.find((argument) => argument.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

const epochs = Number(option('epochs', '3'));
const samples = Number(option('samples', '10000'));
const seed = Number(option('seed', '1'));
const batches = option('batches', '64,256').split(',').map(Number);
const requestedModels = option('models', 'mlp,cnn,gpt').split(',');
const models = requestedModels.filter((name) => name !== 'gpt') as ModelName[];
const gptIterations = Number(option('gpt-iterations', '30'));
const backends = option('backends', 'auto,threads,relaxed,js').split(',');
const cnnBackends = option('cnn-backends', 'auto,threads').split(',');
const withNumpy = !process.argv.includes('--no-numpy');
const withPhases = process.argv.includes('--phases');
const otherNode = option('node', '');

function print(line: object): void {
  const fields = line as { node?: string; backend?: string };
  console.log(
    JSON.stringify(fields.backend === 'numpy' ? line : { ...line, node: fields.node ?? process.versions.node }),
  );
}

/** Runs bench/numpy_mlp.py on the same bytes; returns its JSON lines (or one "skipped" line). */
function runNumpy(dataDirectory: string): Array<Record<string, unknown>> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'numpy_mlp.py');
  const threads = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const result = spawnSync(
    'python3',
    [script, dataDirectory, String(samples), String(epochs), String(seed), ...batches.map(String)],
    {
      encoding: 'utf8',
      env: { ...process.env, ...threads },
    },
  );
  if (result.error !== undefined)
    return [{ model: 'mlp', backend: 'numpy', skipped: `python3 not runnable (${result.error.message})` }];
  if (result.status !== 0)
    return [
      { model: 'mlp', backend: 'numpy', skipped: `numpy_mlp.py failed: ${result.stderr.trim().split('\n').pop()}` },
    ];
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The same runs in a child with relaxed SIMD enabled; its JSON lines, or a note when it cannot run. */
function runRelaxedChild(model: ModelName): TrainResult[] {
  const self = fileURLToPath(import.meta.url);
  const argumentsOfChild = [
    '--experimental-wasm-relaxed-simd',
    self,
    '--epochs',
    String(epochs),
    '--samples',
    String(samples),
    '--seed',
    String(seed),
    '--batches',
    batches.join(','),
    '--models',
    model,
    '--backends',
    'auto',
    '--cnn-backends',
    'auto',
    '--no-numpy',
    ...(withPhases ? ['--phases'] : []),
  ];
  const result = spawnSync(process.execPath, argumentsOfChild, { encoding: 'utf8' });
  if (result.status !== 0) {
    print({
      model,
      backend: 'wasm-relaxed-simd',
      skipped: `child failed: ${(result.stderr ?? '').trim().split('\n').pop()}`,
    });
    return [];
  }
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TrainResult)
    .filter((line) => line.backend === 'wasm-relaxed-simd');
}

/** The seed's design: one float64 dot product per output element, no blocking. */
const naiveKernels: Kernels = { name: 'js-naive', matmulFloat32: matmulNaive, matmulFloat64: matmulNaive };

const data = syntheticMnist(samples, seed);
const results: TrainResult[] = [];
for (const model of models) {
  for (const backend of model === 'cnn' ? cnnBackends : backends) {
    if (backend === 'relaxed') {
      for (const result of runRelaxedChild(model)) {
        results.push(result);
        print(result);
      }
      continue;
    }
    useKernels(backend === 'js' ? jsKernels : backend === 'naive' ? naiveKernels : null);
    const threads = backend === 'threads' ? await startKernelThreads() : null;
    for (const batch of batches) {
      const result: TrainResult = {
        ...train(model, data, batch, epochs, seed, withPhases),
        ...(threads === null ? {} : { threads: threads.threads }),
      };
      results.push(result);
      print(result);
    }
    await threads?.stop();
  }
}
useKernels(null);

/**
 * The same annet runs under another Node (`--node 22`): `npx -y node@VERSION` fetches the npm
 * package `node`, which carries the binary, so nothing comes from outside the registry. Relaxed
 * SIMD needs no flag there, so the "relaxed" backend is left out (its "auto" selects it).
 */
function runOtherNode(version: string): TrainResult[] {
  const self = fileURLToPath(import.meta.url);
  const childBackends = backends.filter((backend) => backend !== 'relaxed').join(',');
  const childCnnBackends = cnnBackends.filter((backend) => backend !== 'relaxed').join(',');
  const argumentsOfChild = [
    '-y',
    `node@${version}`,
    self,
    '--epochs',
    String(epochs),
    '--samples',
    String(samples),
    '--seed',
    String(seed),
    '--batches',
    batches.join(','),
    '--models',
    models.join(','),
    '--backends',
    childBackends,
    '--cnn-backends',
    childCnnBackends,
    '--no-numpy',
    ...(withPhases ? ['--phases'] : []),
  ];
  const result = spawnSync('npx', argumentsOfChild, { encoding: 'utf8' });
  if (result.status !== 0) {
    print({
      node: version,
      skipped: `npx -y node@${version} failed: ${(result.error?.message ?? result.stderr ?? '').trim().split('\n').pop()}`,
    });
    return [];
  }
  return result.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TrainResult & { node: string })
    .filter((line) => 'samplesPerSecond' in line);
}
if (otherNode !== '') {
  for (const result of runOtherNode(otherNode)) {
    results.push(result);
    print(result);
  }
}

let numpy: Array<Record<string, unknown>> = [];
if (withNumpy && models.includes('mlp')) {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-bench-'));
  try {
    fs.writeFileSync(
      path.join(dataDirectory, 'inputs.f32'),
      new Uint8Array(data.inputs.buffer, data.inputs.byteOffset, data.inputs.byteLength),
    );
    fs.writeFileSync(
      path.join(dataDirectory, 'labels.i32'),
      new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength),
    );
    numpy = runNumpy(dataDirectory);
  } finally {
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  }
  for (const line of numpy) print(line);
  for (const result of results.filter((entry) => entry.model === 'mlp')) {
    const reference = numpy.find((line) => line.batch === result.batch && typeof line.samplesPerSecond === 'number');
    if (reference === undefined) continue;
    const numpySamplesPerSecond = reference.samplesPerSecond as number;
    print({
      model: 'mlp',
      batch: result.batch,
      node: (result as { node?: string }).node,
      annetBackend: result.backend,
      ...(result.threads === undefined ? {} : { threads: result.threads }),
      annetSamplesPerSecond: result.samplesPerSecond,
      numpySamplesPerSecond,
      ratioAnnetToNumpy: Number((result.samplesPerSecond / numpySamplesPerSecond).toFixed(3)),
    });
  }
}

const nodeOf = (entry: TrainResult): string => (entry as { node?: string }).node ?? process.versions.node;
const rows = [
  ...results.map((entry) => [
    entry.model,
    String(entry.batch),
    `${entry.threads === undefined ? entry.backend : `${entry.backend}, ${entry.threads} threads`}${nodeOf(entry) === process.versions.node ? '' : ` (Node ${nodeOf(entry)})`}`,
    String(entry.samplesPerSecond),
    entry.msPerStep.toFixed(3),
    entry.finalLoss.toFixed(4),
  ]),
  ...numpy
    .filter((line) => typeof line.samplesPerSecond === 'number')
    .map((line) => [
      'mlp',
      String(line.batch),
      'numpy (1 thread)',
      String(line.samplesPerSecond),
      (line.msPerStep as number).toFixed(3),
      (line.finalLoss as number).toFixed(4),
    ]),
];
if (withNumpy && rows.length > 0) {
  console.error(`\n${samples} samples, ${epochs} epochs, seed ${seed}, Node ${process.versions.node}`);
  console.error('| model | batch | backend | samples/s | ms/step | final loss |');
  console.error('| --- | ---: | --- | ---: | ---: | ---: |');
  for (const row of rows) console.error(`| ${row.join(' | ')} |`);
}

if (requestedModels.includes('gpt')) {
  useKernels(null);
  const vocabulary = 85;
  const tokens = syntheticTokens(200_000, vocabulary, seed);
  const annet: GptResult = trainGpt(tokens, vocabulary, gptIterations, 3, seed);
  print(annet);
  const torchLine = withNumpy
    ? runTorchGpt(tokens, vocabulary)
    : { model: 'gpt', backend: 'pytorch', skipped: '--no-numpy' };
  print(torchLine);
  if (typeof torchLine.tokensPerSecond === 'number') {
    print({
      model: 'gpt',
      annetTokensPerSecond: annet.tokensPerSecond,
      torchTokensPerSecond: torchLine.tokensPerSecond,
      ratioAnnetToTorch: Number((annet.tokensPerSecond / torchLine.tokensPerSecond).toFixed(3)),
    });
  }
  console.error(`\n| model | backend | tokens/s | ms/iteration | loss (last 10) |\n| --- | --- | ---: | ---: | ---: |`);
  for (const line of [annet, torchLine] as Array<Record<string, unknown>>) {
    if (typeof line.tokensPerSecond === 'number')
      console.error(`| gpt | ${line.backend} | ${line.tokensPerSecond} | ${line.msPerIteration} | ${line.finalLoss} |`);
  }
}

/** Runs bench/torch_gpt.py on the same tokens (one thread); its JSON line, or a "skipped" line. */
function runTorchGpt(tokens: Int32Array, vocabulary: number): Record<string, unknown> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-bench-gpt-'));
  try {
    const file = path.join(directory, 'tokens.i32');
    fs.writeFileSync(file, new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength));
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_gpt.py');
    const threads = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    // The first python3 on PATH may lack torch while Debian's /usr/bin/python3 (python3-torch) has it.
    const runWith = (python: string) =>
      spawnSync(python, [script, file, String(vocabulary), String(gptIterations), '3', String(seed)], {
        encoding: 'utf8',
        env: { ...process.env, ...threads },
      });
    let result = runWith('python3');
    if (result.status !== 0 && fs.existsSync('/usr/bin/python3')) result = runWith('/usr/bin/python3');
    if (result.error !== undefined)
      return { model: 'gpt', backend: 'pytorch', skipped: `python3 not runnable (${result.error.message})` };
    if (result.status !== 0)
      return {
        model: 'gpt',
        backend: 'pytorch',
        skipped: `torch_gpt.py failed: ${(result.stderr ?? '').trim().split('\n').pop()}`,
      };
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
