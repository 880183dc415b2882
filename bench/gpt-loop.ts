import { softmaxCrossEntropy } from '../packages/layers/dist/index.js';
import { gptModel } from '../packages/model/dist/index.js';
import { AdamW, clipGradNorm } from '../packages/optimizers/dist/index.js';
import { activeKernels, createRng, residentZeros, Tensor } from '../packages/tensor/dist/index.js';
import { parameterCount, timeSteps } from './timed-steps.js';

/** One GPT benchmark run: the JSON line `pnpm bench:train` prints for `model: 'gpt'`. */
export interface GptResult {
  model: 'gpt';
  backend: string;
  batch: number;
  blockSize: number;
  iterations: number;
  tokensPerSecond: number;
  msPerIteration: number;
  /** Mean training loss over the last 10 iterations. */
  finalLoss: number;
  parameters: number;
}

/**
 * Seeded synthetic "text" for the benchmark: `length` tokens of a `vocabulary`-symbol order-1
 * Markov chain whose rows favour a few successors, so the loss has something to learn. The same
 * bytes go to bench/torch_gpt.py.
 *
 * @example
 * const tokens = syntheticTokens(200_000, 85, 1);
 */
export function syntheticTokens(length: number, vocabulary: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const successors = Array.from({ length: vocabulary }, () =>
    [0, 1, 2, 3].map(() => Math.floor(rng.uniform() * vocabulary)),
  );
  const tokens = new Int32Array(length);
  for (let index = 1; index < length; index++) {
    tokens[index] =
      rng.uniform() < 0.8
        ? successors[tokens[index - 1]][Math.floor(rng.uniform() * 4)]
        : Math.floor(rng.uniform() * vocabulary);
  }
  return tokens;
}

/**
 * Trains nanoGPT's CPU baby GPT (4 layers, 4 heads, 128 wide, block 64, tied head, dropout 0)
 * with AdamW (lr 1e-3, betas 0.9/0.99, weight decay 0.1 on rank-2 weights), clipping at norm 1,
 * on random windows of `tokens` (batch 12), and times `iterations` steps after `warmup` ones.
 *
 * @example
 * const result = trainGpt(syntheticTokens(200_000, 85, 1), 85, 30, 3, 1);
 */
export function trainGpt(
  tokens: Int32Array,
  vocabulary: number,
  iterations: number,
  warmup: number,
  seed: number,
  batch = 12,
  blockSize = 64,
): GptResult {
  const model = gptModel({ vocabularySize: vocabulary, blockSize }).initialize(seed);
  const noDecay = model
    .parameters()
    .filter((parameter) => (parameter as unknown as { shape: number[] }).shape.length < 2)
    .map((parameter) => parameter.name);
  const optimizer = new AdamW({
    learningRate: 1e-3,
    beta1: 0.9,
    beta2: 0.99,
    weightDecay: 0.1,
    groups: [{ names: noDecay, weightDecay: 0 }],
  });
  const rng = createRng(seed);
  const inputs = new Tensor(new Int32Array(batch * blockSize), [batch, blockSize]);
  const targets = new Tensor(new Int32Array(batch * blockSize), [batch, blockSize]);
  // The loss gradient lives in the kernels' memory, made on the first step and reused, as fit's
  // LossComputer keeps it: the loss runs in WebAssembly SIMD and the head's products read it in place.
  let lossGradient: Tensor | undefined;
  const { seconds, finalLoss } = timeSteps(warmup, iterations, (iteration) => {
    for (let row = 0; row < batch; row++) {
      const offset = Math.floor(rng.uniform() * (tokens.length - blockSize - 1));
      (inputs.data as Int32Array).set(tokens.subarray(offset, offset + blockSize), row * blockSize);
      (targets.data as Int32Array).set(tokens.subarray(offset + 1, offset + blockSize + 1), row * blockSize);
    }
    const { logits } = model.forward(inputs, { training: true });
    const { loss, gradient } = softmaxCrossEntropy(logits, targets, {
      out: (lossGradient ??= residentZeros(logits.shape)),
    });
    lossGradient = gradient;
    model.backward({ logits: gradient });
    clipGradNorm(model, 1);
    optimizer.step(model);
    return loss;
  });
  return {
    model: 'gpt',
    backend: activeKernels().name,
    batch,
    blockSize,
    iterations,
    tokensPerSecond: Math.round((iterations * batch * blockSize) / seconds),
    msPerIteration: Number(((seconds * 1000) / iterations).toFixed(2)),
    finalLoss,
    parameters: parameterCount(model),
  };
}
