// `pnpm bench:train`: annet's training step on five workloads, each beside a reference in the
// same run (one BLAS thread), all on seeded synthetic data that both sides read as the same bytes:
//   mlp     MLP 784-128-64-10, Adam, 3 epochs of 10,000 MNIST-shaped samples at batch 64 and 256
//           (bench/train-loop.ts); NumPy (bench/numpy_mlp.py)
//   cnn     the demo's CNN, 1 epoch per batch size (annet only)
//   gpt     nanoGPT's CPU baby GPT, AdamW, clipping (bench/gpt-bench.ts); PyTorch (bench/torch_gpt.py)
//   lstm    the demo's BiLSTM tagger, AdamW, batch 32 x 20 tokens (bench/tagger-bench.ts);
//           PyTorch (bench/torch_lstm_tagger.py)
//   resnet  the demo's residual CNN, AdamW, batch 64 (bench/resnet-bench.ts); PyTorch (bench/torch_resnet.py)
// Every workload runs on one thread ("auto") and with kernel threads ("threads"). Prints one JSON
// line per run, then the ratios annet/reference; at the end one Markdown table per workload on
// stderr (bench/report.ts), and with --phases the MLP's phase profile and matmul ceiling.
//
// Options: --models mlp,cnn,gpt,lstm,resnet (all), --epochs N (3, MLP), --warmup-epochs N (1 untimed
//   MLP epoch first, on both sides), --cnn-epochs N (1),
//   --samples N (10000), --seed N (1), --batches 64,256 (MLP, CNN),
//   --backends auto,threads,relaxed,js (MLP), --cnn-backends auto,threads,
//   --step-backends auto,threads (GPT, LSTM, ResNet), --gpt-iterations N (30),
//   --lstm-iterations N (60), --resnet-iterations N (30), --warmup N (3 untimed steps first),
//   --no-reference (or --no-numpy: no NumPy, no PyTorch), --reference-malloc retain,default (how
//   the references run glibc's malloc, see bench/python.ts; ratios divide by the first),
//   --phases (ms per step of each MLP phase: batch copy, forward, loss, backward, optimizer; and
//   the step's matmuls alone on the same kernels), --node VERSION (also runs the annet part under that Node, from the npm registry's
//   `node` package with `npx -y node@VERSION`: Node 22+ has relaxed SIMD on by default; the
//   project itself stays on Node 20).
// Backends: "auto" is what activeKernels() selects in this process (plain WebAssembly SIMD on
// Node 20); "threads" is the same with startKernelThreads() from @annet/tensor/node (the kernels'
// work split across os.availableParallelism() threads; every line carries "threads"); "relaxed"
// reruns the auto selection in a child `node --experimental-wasm-relaxed-simd` (Node 20 hides
// relaxed SIMD behind that flag, which NODE_OPTIONS refuses; any workload); "js" forces the
// TypeScript kernels (the "before" figures); "naive" a naive triple-loop matmul (only if asked).
// The references run on one thread: NumPy with OPENBLAS_NUM_THREADS=1, PyTorch with
// torch.set_num_threads(1) (python3 on PATH, else /usr/bin/python3 when that one has torch).
import { benchGpt } from './gpt-bench.js';
import { benchImages } from './image-bench.js';
import { settings } from './options.js';
import { runOtherNode } from './other-node.js';
import { mlpPhaseReport } from './phase-report.js';
import { print, printSummary } from './report.js';
import { benchResnet } from './resnet-bench.js';
import { syntheticMnist } from './synthetic-mnist.js';
import { benchTagger } from './tagger-bench.js';

const { models, samples, seed } = settings;
const data = syntheticMnist(samples, seed);
if (models.includes('mlp') || models.includes('cnn')) await benchImages(data);
if (models.includes('gpt')) await benchGpt();
if (models.includes('lstm')) await benchTagger();
if (models.includes('resnet')) await benchResnet(data);
if (settings.otherNode !== '') for (const line of runOtherNode(settings.otherNode)) print(line);

printSummary(
  models,
  `seed ${seed}, Node ${process.versions.node}, references on one thread`,
  settings.withPhases ? mlpPhaseReport() : [],
);
