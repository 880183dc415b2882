import { softmaxCrossEntropy } from '../packages/layers/dist/index.js';
import { Adam } from '../packages/optimizers/dist/index.js';
import { activeKernels, createRng, residentZeros, Tensor } from '../packages/tensor/dist/index.js';
import { buildModel, type ModelName } from './models.js';
import { pixels, type SyntheticMnist } from './synthetic-mnist.js';

/** The first layer's input gradient is never used in training: skip it, as the NumPy script does. */
const skipInputGradient = { inputGradient: false } as const;

/** One benchmark run's result: the JSON line `pnpm bench:train` prints. */
export interface TrainResult {
  model: ModelName;
  batch: number;
  samplesPerSecond: number;
  msPerStep: number;
  finalLoss: number;
  backend: string;
  /** Threads sharing each large matmul, when kernel threads were started (the `threads` backend). */
  threads?: number;
  /** Trainable values (weights and biases). */
  parameters: number;
  /** Milliseconds per step in each phase (batch copy, forward, loss, backward, optimizer), with `phases: true`. */
  phases?: Record<string, number>;
}

/** The phases of one training step, in order. */
const phaseNames = ['batch', 'forward', 'loss', 'backward', 'optimizer'] as const;

/**
 * Trains `model` on `data` for `warmupEpochs` untimed epochs and then `epochs` timed ones with
 * Adam (lr 1e-3, PyTorch defaults otherwise) and softmax cross-entropy, shuffling every epoch
 * with a seeded generator and dropping the last partial batch (as bench/numpy_mlp.py does, with
 * the same warm-up). Times the training loop only: data and model are built before the clock
 * starts, and the warm-up lets the JIT compilers and the kernel threads settle first (measured
 * at batch 64: the first 50 steps of a fresh process take 1.2 ms each on one thread against a
 * steady 0.8). finalLoss is the mean loss over the last epoch.
 *
 * The batch is gathered into a tensor in the kernels' memory (`residentZeros`), as the batches
 * of `fit` are (its DataLoader reuses resident batch arrays): the first layer's products then
 * read it in place instead of copying it (measured at batch 64 on two threads: 165 µs forward,
 * 141 µs weight gradient, against 195 and 175 µs with an ordinary array).
 *
 * @example
 * const result = train('mlp', syntheticMnist(10_000, 1), 64, 3, 1);
 */
export function train(
  model: ModelName,
  data: SyntheticMnist,
  batch: number,
  epochs: number,
  seed: number,
  phases = false,
  warmupEpochs = 0,
): TrainResult {
  const { layers, sampleShape } = buildModel(model, seed);
  const parameters = layers.flatMap((layer) => layer.parameters());
  const optimizer = new Adam({ learningRate: 1e-3 });
  const rng = createRng(seed);
  const inputs = residentZeros([batch, ...sampleShape]);
  const labels = new Tensor(new Int32Array(batch), [batch]);
  const inputData = inputs.data as Float32Array;
  const labelData = labels.data as Int32Array;
  const stepsPerEpoch = Math.floor(data.samples / batch);
  let epochLoss = 0;
  // The loss gradient lives in the kernels' memory, made on the first step and reused, as fit's
  // LossComputer keeps it: the loss runs in WebAssembly SIMD and the head's products read it in place.
  let lossGradient: Tensor | undefined;
  // Phase clocks read performance.now() five times a step (about 0.1 µs each) only when asked.
  const phaseTotals = new Float64Array(phaseNames.length);
  let mark = 0;
  const lap = (phase: number): void => {
    if (!phases) return;
    const now = performance.now();
    phaseTotals[phase] += now - mark;
    mark = now;
  };
  let start = performance.now();
  for (let epoch = 0; epoch < warmupEpochs + epochs; epoch++) {
    if (epoch === warmupEpochs) {
      phaseTotals.fill(0);
      start = performance.now();
    }
    const order = rng.permutation(data.samples);
    epochLoss = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      if (phases) mark = performance.now();
      for (let row = 0; row < batch; row++) {
        const sample = order[step * batch + row];
        inputData.set(data.inputs.subarray(sample * pixels, (sample + 1) * pixels), row * pixels);
        labelData[row] = data.labels[sample];
      }
      lap(0);
      let activation: Tensor = inputs;
      for (const layer of layers) activation = layer.forward(activation, { training: true });
      lap(1);
      const { loss, gradient } = softmaxCrossEntropy(activation, labels, {
        out: (lossGradient ??= residentZeros(activation.shape)),
      });
      lossGradient = gradient;
      epochLoss += loss;
      lap(2);
      let outputGradient: Tensor = gradient;
      for (let index = layers.length - 1; index >= 0; index--)
        outputGradient = layers[index].backward(outputGradient, index === 0 ? skipInputGradient : undefined);
      lap(3);
      optimizer.step(parameters);
      lap(4);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const steps = stepsPerEpoch * epochs;
  return {
    model,
    batch,
    samplesPerSecond: Math.round((steps * batch) / seconds),
    msPerStep: Number(((seconds * 1000) / steps).toFixed(4)),
    finalLoss: Number((epochLoss / stepsPerEpoch).toFixed(6)),
    backend: activeKernels().name,
    parameters: parameters.reduce((sum, parameter) => sum + parameter.value.length, 0),
    ...(phases
      ? {
          phases: Object.fromEntries(
            phaseNames.map((name, index) => [name, Number((phaseTotals[index] / steps).toFixed(4))]),
          ),
        }
      : {}),
  };
}
